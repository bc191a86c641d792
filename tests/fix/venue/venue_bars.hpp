// The test venue's market: daily OHLCV bars from CSV files (Date, Open, High,
// Low, Close, [Adj Close,] Volume: the layout of tests/fixtures and
// data/sample), one clock over the union of their dates.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace qtrader::fix_venue {

struct VenueBar {
  std::string date;  // YYYY-MM-DD, the bar's open time is 00:00 UTC of it
  std::string open, high, low, close, volume;  // as written in the file: published verbatim
  double o = 0, h = 0, l = 0, c = 0;
};

struct VenueMarket {
  std::vector<std::string> dates;  // sorted, unique: the clock's ticks
  std::map<std::string, std::map<std::string, VenueBar>> bars;  // symbol -> date -> bar

  bool has_symbol(const std::string& symbol) const { return bars.count(symbol) > 0; }
  const VenueBar* bar(const std::string& symbol, const std::string& date) const;
};

// Throws std::runtime_error naming the file and line of a bad row.
void load_bars(VenueMarket& market, const std::string& symbol, const std::string& path);

}  // namespace qtrader::fix_venue
