// Watches a run go: keeps the `runs` row of the event store up to date and,
// when asked, draws a progress bar on the terminal (bars done, percent,
// simulated date, rate, time left) for runs longer than about a second.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "qtrader/event_bus.hpp"
#include "store/event_store.hpp"

namespace qtrader {

class RunMonitor {
 public:
  // `stop`, when set, is checked once per timestamp: true stops the run with
  // RunInterrupted before any service sees that timestamp's bars.
  RunMonitor(EventBus& bus, EventStore& store, Timestamp end_date, bool progress_bar,
             const std::atomic<bool>* stop = nullptr);
  ~RunMonitor();
  void finish();  // clears the progress bar line
  // Writes the progress, last timestamp and bars so far into the runs row now
  // (updates are otherwise throttled to one per 250 ms).
  void record_progress();

  std::uint64_t bars() const noexcept { return bars_; }

 private:
  void on_timestamp(Timestamp ts);
  double percent(Timestamp ts) const;
  void draw(Timestamp ts, double pct, double seconds);

  EventStore& store_;
  Timestamp end_;
  const std::atomic<bool>* stop_;
  Timestamp first_ = 0, last_ = 0, current_ = -1;
  bool started_ = false;
  bool progress_bar_;
  bool drawn_ = false;
  std::uint64_t bars_ = 0;
  std::chrono::steady_clock::time_point start_, last_update_;
};

}  // namespace qtrader
