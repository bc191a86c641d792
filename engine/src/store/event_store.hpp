// The event store: every event of a run, in publication order, with a
// strictly increasing sequence number.
//  - sqlite (default): events.sqlite in the results folder, written in batched
//    transactions (WAL), so a run that dies leaves a readable file holding
//    every batch committed before it died, and a `runs` row that says so.
//    Bars, nearly all of a run's events, go to their own compact table in
//    chunks per symbol (sqlite_bar_chunks.hpp); the rest are JSON rows.
//  - memory: the same records kept in the process, compactly (bars by
//    reference: one entry per timestamp slice, their prices being in the
//    source files).
//  - none: only the counts; memory no longer grows with the run's length
//    (a long intraday run), and no event is ever formatted.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "qtrader/config.hpp"
#include "qtrader/data.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/timestamp_format.hpp"

namespace qtrader {

class EventStore {
 public:
  // The `runs` row of this run.
  struct RunInfo {
    std::string id;            // the results folder name
    std::string backtest;      // path of the backtest file
    std::string config_hash;   // of the backtest, system and data-sources files
    std::string scripts_json;  // [{name, path, hash}]
    std::string wall_start;    // ISO 8601, local time
    std::string libraries_json = "[]";  // [{name, version, hash, path, source}]
    long pid = 0;              // of the process running it, and that process's
    std::string pid_start;     // start time (/proc/PID/stat field 22), so a reused pid is told apart
  };
  // How a run ended, as the `runs` row's status says it.
  enum class RunEnd { Completed, Failed, Interrupted };

  static std::unique_ptr<EventStore> open(const EventStoreConfig& config,
                                          const std::string& results_dir, EventBus& bus,
                                          const SymbolTable& symbols,
                                          const std::vector<std::string>& strategy_ids,
                                          TimestampFormat times = {});
  virtual ~EventStore() = default;

  virtual void flush() {}
  virtual void begin_run(const RunInfo&) {}
  // Makes the progress (and every event before it) visible to readers.
  virtual void update_run(double progress_pct, Timestamp sim_time, std::uint64_t bars) {}
  // The run's resolved params (results/run_params_json.hpp), once its scripts are loaded.
  virtual void record_params(const std::string& params_json) {}
  // What `qtrader replay` needs besides the events (engine/src/engine/replay.hpp):
  // the symbols and strategies in id order, the portfolio's accounting and the
  // results files' time format, as JSON.
  virtual void record_settings(const std::string& settings_json) {}
  virtual void finish_run(RunEnd end, const std::string& message, const std::string& wall_end) {}
  // By symbol id, the bar cache file each symbol's bars are read from
  // unchanged (PreparedRun::bar_sources), before the first bar: a compact
  // events.sqlite keeps those bars by reference (sqlite_bar_refs.hpp).
  virtual void reference_bars(const std::vector<std::optional<BarSource>>& sources) {}

  std::uint64_t count(EventType t) const noexcept { return counts_[static_cast<int>(t)]; }
  std::uint64_t total() const noexcept { return seq_; }

  // Checkpoints (docs/checkpoints.md). The store's own part of one: the last
  // seq and the counts, as JSON.
  std::string snapshot() const;
  // A resumed run: takes the checkpoint's seq and counts back and drops
  // every stored event after that seq (and any later checkpoint).
  void restore(std::string_view snapshot_json);
  // While muted, events are neither numbered nor kept: a resumed run's
  // on_init, whose events the store already holds from before the checkpoint.
  void set_muted(bool muted) noexcept { muted_ = muted; }
  // Keeps `state_json` as the run's checkpoint at `seq` (the last event of
  // timestamp `ts`), replacing the previous one, after committing every event
  // up to it. Only the sqlite store keeps checkpoints.
  virtual bool keeps_checkpoints() const noexcept { return false; }
  virtual void write_checkpoint(std::uint64_t seq, Timestamp ts, const std::string& state_json) {}

 protected:
  EventStore(EventBus& bus, const SymbolTable& symbols, const std::vector<std::string>& strategy_ids);

  // One event other than a bar: `seq` is already assigned; `json` is its fields.
  virtual void append(std::uint64_t seq, EventType type, Timestamp ts, StrategyIndex strategy,
                      SymbolId symbol, std::string_view json) = 0;
  // One bar, `seq` already assigned: each backend keeps bars in its own
  // compact form, never as JSON.
  virtual void append_bar(std::uint64_t seq, const Bar& bar) = 0;
  // The trading events (signals, orders, rejections, order updates, fills),
  // most of a run's events after bars. A backend that keeps them as they are
  // (memory: copying a few numbers costs less than formatting them) returns
  // true from keeps_events() and gets keep() instead of append().
  virtual bool keeps_events() const noexcept { return false; }
  // A backend that keeps nothing (none) gets no append(): nothing is formatted for it.
  virtual bool keeps_nothing() const noexcept { return false; }
  virtual void keep(std::uint64_t, const SignalEvent&) {}
  virtual void keep(std::uint64_t, const OrderEvent&) {}
  virtual void keep(std::uint64_t, const OrderRejectedEvent&) {}
  virtual void keep(std::uint64_t, const OrderUpdateEvent&) {}
  virtual void keep(std::uint64_t, const FillEvent&) {}

  // Drops every stored event after `seq` (restore()).
  virtual void truncate_after(std::uint64_t seq) {}
  // The backend's own part of a checkpoint, JSON ("" when it has none): the
  // compact form's bar references. restore_backend() takes it back after
  // truncate_after() ("" when the checkpoint has none).
  virtual std::string backend_snapshot() const { return {}; }
  virtual void restore_backend(std::string_view json) {}

  const std::string& strategy_name(StrategyIndex s) const { return strategy_ids_.at(s); }
  const std::string& symbol_name(SymbolId s) const { return symbols_.name(s); }

 private:
  template <class E>
  void record(const E& e, Timestamp ts, StrategyIndex strategy, SymbolId symbol);

  const SymbolTable& symbols_;
  const std::vector<std::string>& strategy_ids_;
  fmt::memory_buffer json_;
  std::uint64_t seq_ = 0;
  bool muted_ = false;
  std::uint64_t counts_[static_cast<int>(EventType::Count_)] = {};
};

}  // namespace qtrader
