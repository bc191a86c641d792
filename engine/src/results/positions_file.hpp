// positions.csv: each open position of the portfolio (all strategies'
// books together) at the end of each day (the day's last valuation): quantity, last close, market value and its
// weight in equity. Written as the run goes; a day is flushed when the next
// day's first valuation arrives, the last one at close().
#pragma once

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "qtrader/event_bus.hpp"
#include "qtrader/events.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/time_zone.hpp"
#include "qtrader/timestamp_format.hpp"
#include "base/result_file.hpp"

namespace qtrader {

class PositionsFile {
 public:
  // `times`: the run's timestamp form; `day_zone`: whose local days end a day.
  PositionsFile(const std::string& path, EventBus& bus, const SymbolTable& symbols,
                const TimestampFormat& times, TimeZone day_zone);
  ~PositionsFile();
  PositionsFile(const PositionsFile&) = delete;
  PositionsFile& operator=(const PositionsFile&) = delete;
  void close();
  // Futures: by symbol, what one unit of quantity is worth per point
  // (market_value is quantity * multiplier * price); empty: 1 for all.
  void set_multipliers(std::vector<double> multipliers) { multipliers_ = std::move(multipliers); }
  // Checkpoints: the file's flushed length and the day being gathered, and back.
  std::string snapshot();
  void restore(std::string_view json, const std::string& saved_suffix);

 private:
  void on_state(const PortfolioStateEvent& e);
  void flush_day();

  const SymbolTable& symbols_;
  const TimestampFormat& times_;
  TimeZone day_zone_;
  ResultFile file_;
  // The latest valuation of the current day, copied (the event's vector is
  // the portfolio's and changes); reused, so a day costs no allocation once
  // the largest book has been seen.
  bool have_day_ = false;
  Timestamp ts_ = 0;
  double equity_ = 0.0;
  std::vector<PositionSnapshot> positions_;
  std::vector<double> multipliers_;
  std::string row_buffer_;  // one day's rows, reused
};

}  // namespace qtrader
