// events.sqlite: one row per event other than a bar (seq, ts, time, type,
// strategy_id, symbol, data JSON), the bars in chunks (`bars` table,
// sqlite_bar_chunks.hpp) and the `runs` table, written in batched transactions.
// The compact form (the default) keeps the rows in `event_rows` with short
// keys behind an `events` view that reads exactly as the full form's table,
// and bars read from the bar cache by reference (sqlite_bar_refs.hpp).
#pragma once

#include <memory>

#include "store/event_store.hpp"
#include "store/sqlite_bar_chunks.hpp"
#include "store/sqlite_bar_refs.hpp"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite
struct sqlite3_stmt;

namespace qtrader {

class SqliteEventStore final : public EventStore {
 public:
  SqliteEventStore(const std::string& path, EventBus& bus, const SymbolTable& symbols,
                   const std::vector<std::string>& strategy_ids, TimestampFormat times = {},
                   EventStoreForm form = EventStoreForm::Full);
  ~SqliteEventStore() override;

  void flush() override;
  void begin_run(const RunInfo& info) override;
  void update_run(double progress_pct, Timestamp sim_time, std::uint64_t bars) override;
  void record_params(const std::string& params_json) override;
  void record_settings(const std::string& settings_json) override;
  void finish_run(RunEnd end, const std::string& message, const std::string& wall_end) override;
  void reference_bars(const std::vector<std::optional<BarSource>>& sources) override;
  bool keeps_checkpoints() const noexcept override { return true; }
  void write_checkpoint(std::uint64_t seq, Timestamp ts, const std::string& state_json) override;

 private:
  void append(std::uint64_t seq, EventType type, Timestamp ts, StrategyIndex strategy,
              SymbolId symbol, std::string_view json) override;
  void append_bar(std::uint64_t seq, const Bar& bar) override;
  void create_compact_events();
  void truncate_after(std::uint64_t seq) override;
  std::string backend_snapshot() const override;
  void restore_backend(std::string_view json) override;
  void begin_if_needed();
  void count_rows(std::uint32_t rows);

  std::unique_ptr<SQLite::Database> db_;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* insert_time_ = nullptr;  // compact form: event_times
  bool compact_events_ = false;
  std::string short_json_;
  std::unique_ptr<SqliteBarChunks> bars_;
  std::unique_ptr<SqliteBarRefs> bar_refs_;  // compact form: bars by reference
  EventStoreForm form_;
  const SymbolTable& symbols_;
  std::unique_ptr<SQLite::Statement> progress_;
  std::string run_id_;
  // The readable time of the last timestamp, reused while ts repeats.
  TimestampFormat times_;  // the run's form of the `time` column
  Timestamp time_ts_ = -1;
  std::string time_text_;
  bool in_transaction_ = false;
  std::uint32_t batch_ = 0;
};

}  // namespace qtrader
