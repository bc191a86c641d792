// The CSV reader in every dialect (docs/data.md "Reading files"): the first
// four bytes choose delimiter, quote, header, compression, price mode, time
// zone, column layout (and ticks), date_format and time_format; the rest is
// the file. A bad file must end in DataError or ConfigError, never a crash,
// a hang, or another exception.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "fuzz_support.hpp"
#include "qtrader/data.hpp"
#include "qtrader/errors.hpp"

namespace {

using qtrader::ColumnByName;
using qtrader::ColumnMap;
using qtrader::DataSourceConfig;

struct Layout {
  const char* layout;  // yahoo | ohlcv | custom | ticks
  ColumnMap columns;   // custom: by index (-1 where by name)
  const char* by_name[4][2];  // custom: up to four {field, header} pairs
};

// {date, time, open, high, low, close, adj_close, volume, open_interest}
const Layout kLayouts[] = {
    {"yahoo", {}, {}},
    {"ohlcv", {0, -1, 1, 2, 3, 4, -1, 5, -1}, {}},
    {"ohlcv", {0, -1, 1, 2, 3, 4, -1, 5, 6}, {}},
    // date, time, open, high, low, close, volume (tests/fixtures/dialect/AAPL_1m_new_york.csv)
    {"custom", {0, 1, 2, 3, 4, 5, -1, 6, -1}, {}},
    // close, open, high, low, date, volume, adj close (ORCL_noheader.tsv)
    {"custom", {4, -1, 1, 2, 3, 0, 6, 5, -1}, {}},
    // by header names (ORCL_dmy.csv), the rest by index
    {"custom", {-1, -1, -1, -1, -1, -1, -1, 6, -1},
     {{"date", "Datum"}, {"open", "Eroeffnung"}, {"close", "Schluss"}, {"high", "Hoch"}}},
    {"custom", {-1, -1, 1, 2, 3, -1, 5, 6, -1}, {{"date", "Date"}, {"close", "Close"}}},
    {"ticks", {}, {}},
};
const char kDelimiters[] = {',', ';', '\t', '|', ' '};
const char kQuotes[] = {'"', '\'', '\0'};
const char* const kDateFormats[] = {
    "",         "epoch_s",  "epoch_ms",          "epoch_us",           "epoch_ns",
    "%d.%m.%Y", "%Y%m%d",   "%m/%d/%Y %I:%M %p", "%y-%b-%d %H:%M:%S.%f%z", "%F %T",
    "%F",       "%d/%m/%y", "%Y%m%d %H%M",       "%%%Y-%m-%d",
};
const char* const kTimeFormats[] = {"", "%H%M%S", "%I:%M %p", "%H:%M:%S.%f%z", "%T", "%H%M"};
const char* const kZones[] = {"UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata"};
const char* const kBarSizes[] = {"1m", "5m", "1h", "1d"};

DataSourceConfig source_from(qtrader::fuzz::Selector& in, bool& gzip) {
  DataSourceConfig s;
  s.name = "fuzz";
  const std::uint8_t b0 = in.byte(), b1 = in.byte(), b2 = in.byte(), b3 = in.byte();
  s.delimiter = kDelimiters[(b0 & 15) % std::size(kDelimiters)];
  s.quote = kQuotes[(b0 >> 4) % std::size(kQuotes)];
  s.header = (b1 & 1) == 0;
  gzip = (b1 & 2) != 0;
  s.price_mode = (b1 & 4) ? "adjusted" : "raw";
  s.timezone = kZones[(b1 >> 3) % std::size(kZones)];
  s.exchange_timezone = s.timezone;
  const Layout& layout = kLayouts[(b2 & 15) % std::size(kLayouts)];
  if (std::string(layout.layout) == "ticks") {
    s.kind = "ticks";
    s.bar_size = kBarSizes[(b2 >> 4) % std::size(kBarSizes)];
  } else {
    s.layout = layout.layout;
    s.columns = layout.columns;
    for (const auto& [field, header] : layout.by_name)
      if (field) s.columns_by_name.push_back(ColumnByName{field, header, {}});
  }
  s.date_format = kDateFormats[(b3 & 15) % std::size(kDateFormats)];
  if (s.columns.time >= 0) s.time_format = kTimeFormats[(b3 >> 4) % std::size(kTimeFormats)];
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  qtrader::fuzz::Selector in(data, size);
  bool gzip = false;
  const DataSourceConfig source = source_from(in, gzip);
  const std::string file = qtrader::fuzz::write_input(gzip ? "FUZZ.csv.gz" : "FUZZ.csv", in.rest());
  try {
    auto stream = qtrader::open_csv_stream(source, file, 0, std::numeric_limits<qtrader::Timestamp>::min(),
                                           std::numeric_limits<qtrader::Timestamp>::max());
    qtrader::Bar bar;
    qtrader::Timestamp previous = std::numeric_limits<qtrader::Timestamp>::min();
    while (stream->next(bar)) {
      // What the reader promises of every bar it hands out (qtrader/data.hpp).
      if (!(bar.ts > previous) || !(bar.low <= bar.high) || !(bar.open > 0) || !(bar.close > 0) ||
          !std::isfinite(bar.high) || !std::isfinite(bar.volume))
        __builtin_trap();
      previous = bar.ts;
    }
  } catch (const qtrader::DataError&) {
  } catch (const qtrader::ConfigError&) {
  }
  return 0;
}
