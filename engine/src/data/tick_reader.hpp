// Trade ticks from a CSV file (a source with `kind: ticks`; docs/data.md
// "Ticks"): a header naming `timestamp`, `price` and `size` (any order,
// optional `bid` and `ask`), then one trade per row, in time order. Rows are
// read in chunks and parsed in place: no allocation per tick.
#pragma once

#include <string>
#include <string_view>
#include <limits>

#include "data/chunked_line_reader.hpp"
#include "qtrader/time_zone.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

class TickReader {
 public:
  // `zone` reads naive date-times (a trailing 'Z' means UTC). Throws
  // DataError at line 1 when the header lacks a required column.
  TickReader(const std::string& file, TimeZone zone);

  // The next tick (all but its symbol, which is left as it was); false at the end of the file. Throws DataError
  // (file:line: reason) for a bad row: a missing field, a price that is not
  // a positive finite number, a negative size, a time before the previous.
  bool next(Tick& out);

  const std::string& path() const noexcept { return reader_.path(); }

 private:
  [[noreturn]] void fail(const std::string& reason) const;
  Timestamp parse_time(std::string_view text);

  data_detail::ChunkedLineReader reader_;
  TimeZone zone_;
  int ts_col_ = -1, price_col_ = -1, size_col_ = -1, bid_col_ = -1, ask_col_ = -1;
  int columns_ = 0;
  Timestamp previous_ = std::numeric_limits<Timestamp>::min();
  // The date part last seen ("YYYY-MM-DD") and its midnight: ticks of one
  // day repeat it millions of times.
  char date_text_[10] = {};
  Timestamp date_start_ = 0;
};

// Epoch digits by count: up to 10 seconds, 13 milliseconds, 16 microseconds,
// else nanoseconds. "YYYY-MM-DD HH:MM:SS[.fraction][Z]" ('T' allowed for the
// space). nullopt when the text is neither.
namespace data_detail {
bool parse_tick_epoch(std::string_view text, Timestamp& out) noexcept;
}

}  // namespace qtrader
