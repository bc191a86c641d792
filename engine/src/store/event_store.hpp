// The event store: every event of a run, in publication order, with a
// strictly increasing sequence number. SQLite on disk by default, or an
// in-memory SQLite database. Writes are batched in transactions, so a run that
// dies leaves a readable file holding every batch committed before it died.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "qtrader/event_bus.hpp"
#include "qtrader/symbol_table.hpp"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace qtrader {

class EventStore {
 public:
  // `path` ":memory:" keeps the store in memory.
  EventStore(const std::string& path, EventBus& bus, const SymbolTable& symbols,
             const std::vector<std::string>& strategy_ids);
  ~EventStore();

  void flush();  // commits the open batch

  // The `runs` table: one row per run, updated while it goes, so a run killed
  // mid-way leaves a row whose status is not `completed`.
  struct RunInfo {
    std::string id;            // the results folder name
    std::string backtest;      // path of the backtest file
    std::string config_hash;   // of the backtest, system and data-sources files
    std::string scripts_json;  // [{name, path, hash}]
    std::string wall_start;    // ISO 8601, local time
  };
  void begin_run(const RunInfo& info);
  // Commits the open batch with the progress, so readers see both.
  void update_run(double progress_pct, Timestamp sim_time, std::uint64_t bars);
  void finish_run(bool completed, const std::string& message, const std::string& wall_end);
  std::uint64_t count(EventType t) const noexcept { return counts_[static_cast<int>(t)]; }
  std::uint64_t total() const noexcept { return seq_; }

 private:
  void append(EventType type, Timestamp ts, StrategyIndex strategy, SymbolId symbol,
              const std::string& json);
  void begin_if_needed();

  const SymbolTable& symbols_;
  const std::vector<std::string>& strategy_ids_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> insert_;
  std::unique_ptr<SQLite::Statement> progress_;
  std::string run_id_;
  bool in_transaction_ = false;
  std::uint32_t batch_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t counts_[static_cast<int>(EventType::Count_)] = {};
};

}  // namespace qtrader
