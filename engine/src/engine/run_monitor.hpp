// Watches a run go: keeps the `runs` row of the event store up to date and,
// when asked, draws a progress bar on the terminal (bars done, percent,
// simulated date, rate, time left) for runs longer than about a second.
#pragma once

#include <chrono>
#include <cstdint>

#include "qtrader/event_bus.hpp"
#include "store/event_store.hpp"

namespace qtrader {

class RunMonitor {
 public:
  RunMonitor(EventBus& bus, EventStore& store, Timestamp end_date, bool progress_bar);
  ~RunMonitor();
  void finish();  // clears the progress bar line

  std::uint64_t bars() const noexcept { return bars_; }

 private:
  void on_timestamp(Timestamp ts);
  void draw(Timestamp ts, double pct, double seconds);

  EventStore& store_;
  Timestamp end_;
  Timestamp first_ = 0;
  bool started_ = false;
  bool progress_bar_;
  bool drawn_ = false;
  std::uint64_t bars_ = 0;
  std::chrono::steady_clock::time_point start_, last_update_;
};

}  // namespace qtrader
