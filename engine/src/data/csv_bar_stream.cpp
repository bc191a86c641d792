// open_csv_stream: one symbol's CSV file as a BarStream.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "data/chunked_line_reader.hpp"
#include "data/csv_dialect.hpp"
#include "data/csv_fields.hpp"
#include "qtrader/data.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"
#include "qtrader/time_zone.hpp"
#include "qtrader/cell_time_format.hpp"
#include "qtrader/value_limits.hpp"

namespace qtrader {

namespace {

using data_detail::ChunkedLineReader;
using data_detail::NumberStatus;

// A bar dated D with end = D 00:00 is still in range at any time of day:
// backtest end dates are whole days.
Timestamp last_included(Timestamp end) {
  if (end % kNanosPerDay == 0 && end <= std::numeric_limits<Timestamp>::max() - kNanosPerDay)
    return end + kNanosPerDay - 1;
  return end;
}

int highest_column(const ColumnMap& c) {
  return std::max({c.date, c.time, c.open, c.high, c.low, c.close, c.adj_close, c.volume,
                   c.open_interest});
}

// Where a problem with the source itself (not with one row) is reported: its
// config entry, or the data file when the source was built in code.
struct SourceProblemSite {
  std::string file;
  long line;
  std::string source_name;
  [[noreturn]] void fail(const std::string& what) const {
    throw DataError(file, line, "data source '" + source_name + "': " + what);
  }
};

// How the source's cells are read: its dialect and time zone, checked once
// per stream (the loader has checked them already for sources from a file).
struct CellReading {
  CellTimeFormat date_format, time_format;
  TimeZone zone;
};

CellReading cell_reading(const DataSourceConfig& source, const SourceProblemSite& site) {
  CellReading r;
  std::string error;
  auto date_format = CellTimeFormat::compile(source.date_format, false, error);
  if (!date_format) site.fail("date_format " + error);
  auto time_format = CellTimeFormat::compile(source.time_format, true, error);
  if (!time_format) site.fail("time_format " + error);
  auto zone = TimeZone::find(source.timezone);
  if (!zone) site.fail(unknown_time_zone(source.timezone));
  return {*date_format, *time_format, *zone};
}

class CsvBarStream final : public BarStream {
 public:
  CsvBarStream(const DataSourceConfig& source, const SourceProblemSite& site, std::string file,
               const ColumnMap& columns, bool adjusted, SymbolId symbol, Timestamp start,
               Timestamp end)
      : reader_(std::move(file)),
        cols_(columns),
        adjusted_(adjusted),
        symbol_(symbol),
        start_(start),
        last_included_(last_included(end)),
        delimiter_(source.delimiter),
        quote_(source.quote),
        cells_(cell_reading(source, site)),
        zone_is_utc_(cells_.zone.is_utc()) {
    read_header(source, site);
  }

  bool next(Bar& out) override {
    if (done_) return false;
    std::string_view line;
    for (;;) {
      if (has_pending_row_) {  // header: false; the first row was read to count the columns
        has_pending_row_ = false;
        line = pending_row_;
      } else if (!reader_.next(line)) {
        break;
      }
      // Blank lines are fine at the end of the file only.
      if (line.empty()) {
        if (blank_line_ == 0) blank_line_ = reader_.line_number();
        continue;
      }
      if (blank_line_ != 0)
        throw DataError(reader_.path(), blank_line_, "empty line before more rows");
      Bar bar;
      if (!parse_row(line, bar)) break;
      if (bar.ts < start_) continue;
      out = bar;
      return true;
    }
    done_ = true;
    reader_.close();
    return false;
  }

 private:
  // Reads the header row (or, with header: false, the first row, kept for
  // next()), then settles the columns: those a custom layout names by header
  // cell are looked up here, the only place that sees the header.
  void read_header(const DataSourceConfig& source, const SourceProblemSite& site) {
    std::string_view line;
    if (!reader_.next(line)) {
      if (!source.header) {  // no rows, no bars
        done_ = true;
        return;
      }
      throw DataError(reader_.path(), 1, "empty file: expected a header row");
    }
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // UTF-8 byte-order mark
    if (line.empty())
      throw DataError(reader_.path(), 1,
                      source.header ? "expected a header row, found an empty line"
                                    : "expected a row, found an empty line");

    column_count_ = split(line);  // fields_ is empty: this only counts
    fields_.resize(column_count_);
    split(line);
    names_.reserve(column_count_);
    labels_.reserve(column_count_);
    for (std::size_t i = 0; i < column_count_; ++i) {
      names_.emplace_back(source.header ? data_detail::trim(fields_[i]) : std::string_view());
      labels_.push_back(source.header ? fmt::format("'{}'", names_.back()) : std::to_string(i));
    }

    if (!source.columns_by_name.empty()) cols_ = source.resolve_columns(names_, reader_.path());
    if (cols_.date < 0 || cols_.open < 0 || cols_.high < 0 || cols_.low < 0 || cols_.close < 0)
      site.fail("the date, open, high, low and close columns are required");
    if (adjusted_ && cols_.adj_close < 0)
      site.fail("price_mode 'adjusted' needs an adjusted close column");

    const auto needed = static_cast<std::size_t>(highest_column(cols_)) + 1;
    if (column_count_ < needed)
      throw DataError(reader_.path(), 1,
                      fmt::format("{} has {} columns, but this layout needs at least {}",
                                  source.header ? "header" : "first row", column_count_, needed));

    if (!source.header) {
      pending_row_ = line;  // stays valid: the reader is not called again before next()
      has_pending_row_ = true;
      return;
    }
    // A header that reads as a date means the file starts with data.
    CellTime t;
    if (cells_.date_format.parse(data_detail::trim(fields_[cols_.date]), t))
      throw DataError(reader_.path(), 1,
                      fmt::format("missing header row: line 1 is data (date '{}'); "
                                  "set header: false for a file without one",
                                  names_[cols_.date]));
  }

  // The row's fields into fields_; how many the row has.
  std::size_t split(std::string_view line) {
    const std::size_t n =
        data_detail::split_fields(line, fields_.data(), fields_.size(), delimiter_, quote_);
    if (n != data_detail::kQuotedRow) return n;
    const auto quoted = data_detail::split_quoted_fields(line, fields_.data(), fields_.size(),
                                                         delimiter_, quote_, scratch_);
    if (quoted.error) fail(quoted.error);
    return quoted.count;
  }

  [[noreturn]] void fail(std::string reason) const {
    throw DataError(reader_.path(), reader_.line_number(), std::move(reason));
  }
  [[noreturn]] void fail_column(int col, std::string_view what) const {
    fail(fmt::format("column {}: {}", labels_[col], what));
  }

  // Raw for the hot path; the parsers retry trimmed text only when it fails.
  std::string_view field(int col) const { return fields_[col]; }
  std::string_view trimmed(int col) const { return data_detail::trim(fields_[col]); }

  double number(int col) const {
    double v = 0.0;
    switch (data_detail::parse_number(field(col), v)) {
      case NumberStatus::Ok:
        return v;
      case NumberStatus::Unparsable:
        fail_column(col, fmt::format("cannot parse '{}' as a number", trimmed(col)));
      case NumberStatus::NaN:
        fail_column(col, fmt::format("'{}' is NaN, not a number", trimmed(col)));
      case NumberStatus::Infinite:
        fail_column(col, fmt::format("'{}' is infinite", trimmed(col)));
    }
    return v;
  }

  double price(int col) const {
    const double v = number(col);
    if (v > 0.0 && v <= kMaxPrice) return v;
    if (v > 0.0)
      fail_column(col, fmt::format("price '{}' is above the largest accepted price, {:g}",
                                   trimmed(col), kMaxPrice));
    fail_column(col, fmt::format("{} price '{}': prices must be positive",
                                 v == 0.0 ? "zero" : "negative", trimmed(col)));
  }

  // The row's instant: a naive cell is a wall-clock time in the source's
  // zone; 'Z', an offset or an epoch number is exact.
  Timestamp timestamp() {
    CellTime t;
    if (cols_.time < 0) {
      // The date column may carry the time of day too ("YYYY-MM-DD HH:MM:SS").
      if (!cells_.date_format.parse(field(cols_.date), t) &&
          !cells_.date_format.parse(trimmed(cols_.date), t))
        fail_column(cols_.date, fmt::format("'{}' is not a valid date ({})", trimmed(cols_.date),
                                            cells_.date_format.describe()));
    } else {
      const auto date_text = trimmed(cols_.date);
      const bool iso = cells_.date_format.kind() == CellTimeFormat::Kind::IsoDateTime;
      // With a time column, an ISO date cell is the date alone.
      if ((iso && date_text.size() != 10) || !cells_.date_format.parse(date_text, t))
        fail_column(cols_.date, fmt::format("'{}' is not a valid date ({})", date_text,
                                            iso ? "YYYY-MM-DD" : cells_.date_format.describe()));
      const auto time_text = trimmed(cols_.time);
      CellTime tod;
      if (!cells_.time_format.parse(time_text, tod))
        fail_column(cols_.time, fmt::format("'{}' is not a valid time of day ({})", time_text,
                                            cells_.time_format.describe()));
      t.value += tod.value;
      t.exact = t.exact || tod.exact;
    }
    return t.exact || zone_is_utc_ ? t.value : cells_.zone.to_utc(t.value);
  }

  // Fills `bar` from a row, validating it; false, with the rest of the row
  // unread, once the row is past the end: nothing after it is of interest.
  bool parse_row(std::string_view line, Bar& bar) {
    const std::size_t count = split(line);
    if (count != column_count_)
      fail(fmt::format("wrong number of columns: expected {} as in the header, found {}",
                       column_count_, count));

    bar.ts = timestamp();
    if (bar.ts > last_included_) return false;
    if (has_previous_ && bar.ts <= previous_ts_) {
      if (bar.ts == previous_ts_)
        fail(fmt::format("duplicate timestamp {}: the previous row has {} too",
                         format_timestamp(bar.ts), format_timestamp(previous_ts_)));
      fail(fmt::format("timestamp {} is out of order: it follows {}", format_timestamp(bar.ts),
                       format_timestamp(previous_ts_)));
    }
    previous_ts_ = bar.ts;
    has_previous_ = true;

    bar.symbol = symbol_;
    bar.open = price(cols_.open);
    bar.high = price(cols_.high);
    bar.low = price(cols_.low);
    bar.close = price(cols_.close);
    if (bar.high < bar.low)
      fail(fmt::format("high {} is below low {}", trimmed(cols_.high), trimmed(cols_.low)));
    if (cols_.adj_close >= 0) bar.adj_close = price(cols_.adj_close);
    if (cols_.volume >= 0) {
      bar.volume = number(cols_.volume);
      if (bar.volume < 0.0)
        fail_column(cols_.volume, fmt::format("negative volume '{}'", trimmed(cols_.volume)));
    }
    if (adjusted_) {
      const double factor = bar.adj_close / bar.close;
      bar.open *= factor;
      bar.high *= factor;
      bar.low *= factor;
      bar.close *= factor;
    }
    return true;
  }

  ChunkedLineReader reader_;
  ColumnMap cols_;
  bool adjusted_;
  SymbolId symbol_;
  Timestamp start_, last_included_;
  std::size_t column_count_ = 0;
  char delimiter_, quote_;
  CellReading cells_;
  bool zone_is_utc_;                       // no zone look-up per row
  std::vector<std::string> names_;         // header cells ("" without a header)
  std::vector<std::string> labels_;        // 'Close', or 4 without a header: for messages
  std::vector<std::string_view> fields_;   // the current row, into the reader's buffer or scratch_
  std::string scratch_;                    // unescaped quoted fields of the current row
  std::string_view pending_row_;           // header: false: the first row, read early
  bool has_pending_row_ = false;
  Timestamp previous_ts_ = 0;
  bool has_previous_ = false;
  long blank_line_ = 0;  // first blank line not yet followed by a row
  bool done_ = false;
};

}  // namespace

std::unique_ptr<BarStream> open_csv_stream(const DataSourceConfig& source, const std::string& file,
                                           SymbolId symbol, Timestamp start, Timestamp end) {
  const SourceProblemSite site =
      source.where.file.empty()
          ? SourceProblemSite{file, 0, source.name}
          : SourceProblemSite{source.where.file, source.where.line, source.name};
  ColumnMap columns;
  try {
    columns = columns_for(source);
  } catch (const DataError& e) {
    if (!source.where.file.empty()) throw;
    throw DataError(file, 0, e.reason());
  }
  if (source.price_mode != "raw" && source.price_mode != "adjusted")
    site.fail("unknown price_mode '" + source.price_mode + "' (expected raw or adjusted)");
  const bool adjusted = source.price_mode == "adjusted";
  return std::make_unique<CsvBarStream>(source, site, file, columns, adjusted, symbol, start, end);
}

}  // namespace qtrader
