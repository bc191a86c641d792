// Watches a run go: keeps the `runs` row of the event store up to date and
// tells RunOptions::on_progress, when set, how far the run is (the command
// draws a bar from it; the library itself writes nothing to the terminal).
#pragma once

#include <string>
#include <string_view>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "qtrader/engine.hpp"
#include "qtrader/event_bus.hpp"
#include "store/event_store.hpp"

namespace qtrader {

class RunMonitor {
 public:
  // `stop`, when set, is checked once per timestamp: true stops the run with
  // RunInterrupted before any service sees that timestamp's bars.
  RunMonitor(EventBus& bus, EventStore& store, Timestamp end_date,
             std::function<void(const RunProgress&)> on_progress = {},
             const std::atomic<bool>* stop = nullptr);
  ~RunMonitor();
  void finish();  // the progress callback's last call (done = true), once
  // Writes the progress, last timestamp and bars so far into the runs row now
  // (updates are otherwise throttled to one per 250 ms).
  void record_progress();

  std::uint64_t bars() const noexcept { return bars_; }
  // Checkpoints: how far the run has got (the runs row's progress), and back.
  std::string snapshot() const;
  void restore(std::string_view json);

 private:
  void on_timestamp(Timestamp ts);
  double percent(Timestamp ts) const;
  void report(Timestamp ts, double pct, double seconds, bool done);

  EventStore& store_;
  Timestamp end_;
  const std::atomic<bool>* stop_;
  Timestamp first_ = 0, last_ = 0, current_ = -1;
  bool started_ = false;
  std::function<void(const RunProgress&)> on_progress_;
  bool reported_ = false, finished_ = false;
  std::uint64_t bars_ = 0;
  double initial_equity_ = 0, equity_ = 0;
  bool report_due_ = false;  // a progress report waits for the timestamp's valuation
  double due_seconds_ = 0;
  std::size_t open_positions_ = 0;
  std::chrono::steady_clock::time_point start_, last_update_;
};

}  // namespace qtrader
