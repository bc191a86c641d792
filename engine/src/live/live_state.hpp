// What a live session persists as it goes (docs/live.md "State that survives
// a crash"): live_state.sqlite in the session's folder, WAL, one transaction
// per timestamp. It holds the bars each timestamp ran on (the journal a
// restart replays), every order with its deterministic client order id
// (`<session>-<order_id>`), each send of an order to its broker, the fills,
// the positions and cash after each timestamp, and the session's own events
// (stale feed, heartbeat, reconciliation, kill switch).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "qtrader/types.hpp"

namespace SQLite {
class Database;
class Transaction;
}  // namespace SQLite

namespace qtrader::live {

struct StoredOrder {
  std::string client_order_id;
  std::uint64_t order_id = 0;
  std::string symbol;
  std::string side;      // buy | sell
  double quantity = 0;
  std::string status;    // accepted, partially_filled, filled, cancelled, expired, rejected
  double filled = 0;
};

struct StoredPosition {
  std::string symbol;
  double quantity = 0;
  double avg_price = kNaN;
};

struct JournalBar {
  Bar bar;
  std::uint8_t flags = 0;
  std::string symbol;
};

class LiveState {
 public:
  // Opens (creating when missing) `dir`/live_state.sqlite.
  explicit LiveState(const std::string& dir);
  ~LiveState();

  static std::string file_in(const std::string& dir);
  const std::string& path() const noexcept { return path_; }

  // session: the key of client order ids; set once, read back on a resume.
  void set_value(const std::string& key, const std::string& value);
  std::optional<std::string> value(const std::string& key) const;

  // One transaction per timestamp: begun before its bars, committed after its risk phase.
  void begin();
  void commit();
  // Commits what the open transaction holds now and opens another: an order
  // is on disk before it goes to a broker.
  void checkpoint();

  void journal_bar(const Bar& bar, std::uint8_t flags, const std::string& symbol);
  std::vector<JournalBar> journal(const std::vector<std::string>& symbols_by_id) const;
  Timestamp last_journaled() const;  // 0: none

  // Orders: created with their details, then their status as it changes.
  bool has_order(const std::string& client_order_id) const;
  void record_order(const StoredOrder& order, Timestamp created_at);
  void update_order(const std::string& client_order_id, const std::string& status, double filled);
  bool has_send(const std::string& client_order_id) const;
  void record_send(const std::string& client_order_id, Timestamp ts);
  void record_fill(const std::string& exec_id, const std::string& client_order_id, Timestamp ts,
                   const std::string& side, double quantity, double price, double commission);
  void record_account(Timestamp ts, double cash, double equity, const std::vector<StoredPosition>& positions);

  std::vector<StoredOrder> open_orders() const;
  std::vector<StoredPosition> positions() const;
  std::optional<double> cash() const;

  // type: stale_feed, heartbeat, reconciliation, kill_switch, resume, risk
  void record_event(Timestamp ts, const std::string& type, const std::string& text);

 private:
  std::string path_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Transaction> tx_;
};

}  // namespace qtrader::live
