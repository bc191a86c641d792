// The ticks phase of a timestamp (docs/architecture.md "One timestamp T"):
// for the strategies that define on_tick, the trade ticks of each bar of T
// of a tick source, published as TickEvents before the bar itself. Opened
// only for the symbols such a strategy trades, so a run without on_tick
// reads no tick (docs/data.md "Ticks to strategies").
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "data/bar_ticks.hpp"
#include "engine/prepared_run.hpp"
#include "qtrader/event_bus.hpp"

namespace qtrader {

class TickFeed {
 public:
  // `wanted`, by symbol id: some strategy takes the symbol's ticks. Symbols
  // whose source is not `kind: ticks` have none and are passed over.
  TickFeed(const PreparedRun& run, const std::vector<bool>& wanted);
  bool empty() const noexcept { return open_ == 0; }

  // Every tick of the slice's bars of wanted symbols, in time order; ticks of
  // one instant in ascending symbol id (the slice's order).
  void publish(EventBus& bus, const std::vector<Bar>& slice);

 private:
  std::vector<std::unique_ptr<BarTicks>> by_symbol_;  // nullptr: no ticks wanted
  std::size_t open_ = 0;
  // The merge's heap of (tick time, symbol), reused from slice to slice.
  std::vector<std::pair<Timestamp, SymbolId>> heap_;
};

}  // namespace qtrader
