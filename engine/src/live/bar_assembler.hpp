// Bars from a feed's updates, as they complete (docs/live.md "Bars"). A Bar
// update passes through; Trades are folded into bars of the symbol's source
// timeframe, aligned as the consolidated bars of a backtest are
// (qtrader/bar_consolidator.hpp's window_of). The bars of a timestamp T are
// complete once every symbol of the universe has its bar of T, or else once
// the feed has moved past T: an update stamped after T (a bar), or at or
// after the end of T's window (trades). A bar that arrives
// for a timestamp already run is late: dropped and counted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "live/market_feed.hpp"
#include "qtrader/bar_consolidator.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/time_zone.hpp"

namespace qtrader::live {

class BarAssembler {
 public:
  // Per symbol id: the bar length trades are folded into and its zone.
  BarAssembler(const SymbolTable& symbols, std::vector<Timeframe> timeframes, std::vector<TimeZone> zones);

  void add(const FeedUpdate& update);
  // The next complete timestamp's bars (ascending symbol id) and their flags.
  bool next_slice(std::vector<Bar>& bars, std::vector<std::uint8_t>& flags);
  // The feed has ended: every bar held is complete.
  void finish();

  std::uint64_t late_bars() const noexcept { return late_; }
  std::uint64_t unknown_symbols() const noexcept { return unknown_; }

 private:
  struct Building {  // a symbol's bar of trades in progress
    Window window;
    Bar bar;
  };
  void hold(const Bar& bar, std::uint8_t flags);
  void close_windows_before(Timestamp ts);

  const SymbolTable& symbols_;
  std::vector<Timeframe> timeframes_;
  std::vector<TimeZone> zones_;
  std::vector<std::optional<Building>> building_;     // per symbol
  std::map<Timestamp, std::vector<std::pair<Bar, std::uint8_t>>> held_;
  Timestamp watermark_ = 0;     // the newest update's time
  Timestamp last_run_ = -1;     // the last timestamp handed out
  bool finished_ = false;
  std::uint64_t late_ = 0, unknown_ = 0;
};

}  // namespace qtrader::live
