#include "report/price_bars.hpp"

#include <algorithm>
#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>

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
    SQLite::Database db(events_path, SQLite::OPEN_READONLY);
    if (!db.tableExists("events")) {
      note = "events.sqlite has no events table";
      return out;
    }
    // The symbol filter runs before json_extract, so unwanted bars cost a
    // comparison, not a JSON parse.
    std::string in_list;
    for (std::size_t i = 0; i < only.size(); ++i) in_list += i ? ",?" : "?";
    SQLite::Statement q(db,
                        "SELECT symbol, ts, json_extract(data,'$.open'), json_extract(data,'$.high'),"
                        " json_extract(data,'$.low'), json_extract(data,'$.close')"
                        " FROM events WHERE type = 'bar'" +
                            (only.empty() ? std::string() : " AND symbol IN (" + in_list + ")") +
                            " ORDER BY seq");
    for (std::size_t i = 0; i < only.size(); ++i) q.bind(static_cast<int>(i + 1), only[i]);
    PriceSeries* current = nullptr;
    std::string current_symbol;
    while (q.executeStep()) {
      const char* symbol = q.getColumn(0).getText();
      if (!current || current_symbol != symbol) {
        current_symbol = symbol;
        if (!out.count(current_symbol) && out.size() >= max_symbols) {
          current = nullptr;
          continue;
        }
        current = &out[current_symbol];
      }
      current->bars.push_back({q.getColumn(1).getInt64(), q.getColumn(2).getDouble(),
                               q.getColumn(3).getDouble(), q.getColumn(4).getDouble(),
                               q.getColumn(5).getDouble()});
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
