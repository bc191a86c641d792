// Price bars per symbol, read back from a run's events.sqlite, thinned for the
// report's charts.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader::report {

struct PriceBar {
  Timestamp ts;
  double open, high, low, close;
};

struct PriceSeries {
  std::vector<PriceBar> bars;     // in time order
  std::size_t source_bars = 0;    // before thinning
};

// Bars by symbol from the `bars` table (store/bar_rows.hpp). Empty when the
// file or the table is missing; `note` then says why. Only the symbols in
// `only` when it is not empty; otherwise the first `max_symbols` symbols met
// (in order of their first bar).
std::map<std::string, PriceSeries> read_price_bars(const std::string& events_path,
                                                   std::string& note,
                                                   const std::vector<std::string>& only,
                                                   std::size_t max_symbols);

// Merges runs of consecutive bars into OHLC buckets so that at most `max_bars`
// remain; each bucket is dated at its first bar.
void thin_bars(PriceSeries& series, std::size_t max_bars);

}  // namespace qtrader::report
