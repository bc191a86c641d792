#include "qtrader/data.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

namespace {

constexpr ColumnMap kYahooColumns{.date = 0, .time = -1, .open = 1, .high = 2, .low = 3,
                                  .close = 4, .adj_close = 5, .volume = 6, .open_interest = -1};
// OpenInterest (column 6) is optional in this layout and the bar has no field
// for it, so it is left unmapped: the header alone decides whether it is there.
constexpr ColumnMap kOhlcvColumns{.date = 0, .time = -1, .open = 1, .high = 2, .low = 3,
                                  .close = 4, .adj_close = -1, .volume = 5, .open_interest = -1};

bool same_columns(const ColumnMap& a, const ColumnMap& b) {
  return a.date == b.date && a.time == b.time && a.open == b.open && a.high == b.high &&
         a.low == b.low && a.close == b.close && a.adj_close == b.adj_close &&
         a.volume == b.volume && a.open_interest == b.open_interest;
}

}  // namespace

ColumnMap columns_for(const DataSourceConfig& source) {
  if (source.layout == "custom") return source.columns;
  if (source.layout == "ohlcv") return kOhlcvColumns;
  if (source.layout == "yahoo") {
    // ColumnMap's defaults are not the Yahoo columns: untouched defaults mean
    // "the layout decides", anything else was set on purpose.
    return same_columns(source.columns, ColumnMap{}) ? kYahooColumns : source.columns;
  }
  throw DataError(source.where.file, source.where.line,
                  "data source '" + source.name + "': unknown layout '" + source.layout +
                      "' (expected yahoo, ohlcv or custom)");
}

}  // namespace qtrader
