#include "report/price_bars.hpp"

#include <algorithm>
#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/bar_rows.hpp"
#include "store/run_database.hpp"

namespace qtrader::report {

std::map<std::string, PriceSeries> read_price_bars(const std::string& events_path,
                                                   std::string& note,
                                                   const std::vector<std::string>& only,
                                                   std::size_t max_symbols) {
  std::map<std::string, PriceSeries> out;
  if (!std::filesystem::exists(events_path)) {
    note = "no events.sqlite in the results folder (event store in memory?)";
    return out;
  }
  try {
    SQLite::Database db = store::open_run_database(events_path, SQLite::OPEN_READONLY);
    if (!bar_rows::has_bars(db)) {
      note = "events.sqlite has no bars table";
      return out;
    }
    const std::vector<std::string> wanted = only.empty() ? bar_rows::symbols(db) : only;
    for (const auto& symbol : wanted) {
      if (out.size() >= max_symbols) break;
      auto stored = bar_rows::read(db, symbol);
      if (stored.empty()) continue;
      auto& series = out[symbol];
      series.bars.reserve(stored.size());
      for (const auto& b : stored) series.bars.push_back({b.ts, b.open, b.high, b.low, b.close});
    }
  } catch (const std::exception& e) {
    note = std::string("cannot read bars from events.sqlite: ") + e.what();
    out.clear();
    return out;
  }
  if (out.empty()) note = "events.sqlite holds no bar events";
  for (auto& [symbol, series] : out) series.source_bars = series.bars.size();
  return out;
}

void thin_bars(PriceSeries& series, std::size_t max_bars) {
  auto& bars = series.bars;
  if (max_bars == 0 || bars.size() <= max_bars) return;
  const std::size_t per_bucket = (bars.size() + max_bars - 1) / max_bars;
  std::size_t out = 0;
  for (std::size_t i = 0; i < bars.size(); i += per_bucket) {
    PriceBar b = bars[i];
    const std::size_t end = std::min(bars.size(), i + per_bucket);
    for (std::size_t k = i + 1; k < end; ++k) {
      b.high = std::max(b.high, bars[k].high);
      b.low = std::min(b.low, bars[k].low);
      b.close = bars[k].close;
    }
    bars[out++] = b;
  }
  bars.resize(out);
}

}  // namespace qtrader::report
