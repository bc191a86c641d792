// The trade ticks of each bar of a tick source (`kind: ticks`), for
// strategies with on_tick (docs/data.md "Ticks to strategies"). Reads the
// source's CSV again, beside the bars (which may come from the bar cache),
// and cuts it by the same rule that folds the ticks into bars
// (tick_bar_stream.cpp): a time bar holds the ticks of its window, a trade-count
// or volume bar its first tick and the following ones until it is full, then
// every further tick of its last instant.
#pragma once

#include <optional>
#include <string>

#include "data/tick_reader.hpp"
#include "qtrader/bar_consolidator.hpp"
#include "qtrader/config.hpp"

namespace qtrader {

class BarTicks {
 public:
  // Throws DataError as open_tick_bar_stream does (no bar_size, unknown zone)
  // and as TickReader does.
  BarTicks(const DataSourceConfig& source, const std::string& file, SymbolId symbol);

  // Moves to the ticks of `bar`, a bar of this source: ticks before it (of
  // bars outside the run, or dropped outside the session) are skipped.
  // False when the bar has no tick.
  bool start(const Bar& bar);
  // The current tick of the bar (after start() or next() returned true).
  const Tick& tick() const noexcept { return tick_; }
  // The bar's next tick; false once the bar has none left (the tick read
  // stays for the next bar's start()).
  bool next();

 private:
  bool joins();  // whether tick_ belongs to the current bar; counts it if so

  TickReader reader_;
  TimeZone zone_;
  Timeframe timeframe_;
  std::optional<ActivityBars> activity_;
  Tick tick_;
  bool have_ = false;  // tick_ holds a tick read and not yet handed out
  // The current bar: a time bar's window end, or an activity bar's fill.
  Timestamp end_ = 0;
  double limit_ = 0.0, filled_ = 0.0;
  bool by_volume_ = false;
  Timestamp last_tick_ = 0;
};

}  // namespace qtrader
