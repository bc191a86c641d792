// CSV dialects and time zones (docs/data.md "Reading files", "Time zones"):
// each fixture in tests/fixtures/dialect holds the bars of the plain file
// ORCL.csv (ORCL 1995-01-03..1995-01-16) written another way, and must read to
// exactly the same bars.
#include <cstring>

#include "data_test_support.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

const std::string kDialectDir = QTRADER_FIXTURES_DIR "/dialect/";

// Every field, bit for bit (NaN adjusted closes compare equal).
void check_same_bars(const std::vector<Bar>& got, const std::vector<Bar>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("bar " << i << " at " << format_timestamp(want[i].ts));
    CHECK(got[i].ts == want[i].ts);
    CHECK(got[i].symbol == want[i].symbol);
    CHECK(std::memcmp(&got[i].open, &want[i].open, sizeof(double)) == 0);
    CHECK(std::memcmp(&got[i].high, &want[i].high, sizeof(double)) == 0);
    CHECK(std::memcmp(&got[i].low, &want[i].low, sizeof(double)) == 0);
    CHECK(std::memcmp(&got[i].close, &want[i].close, sizeof(double)) == 0);
    CHECK(std::memcmp(&got[i].adj_close, &want[i].adj_close, sizeof(double)) == 0);
    CHECK(std::memcmp(&got[i].volume, &want[i].volume, sizeof(double)) == 0);
  }
}

std::vector<Bar> plain_bars() {
  auto bars = read_file(source_with("yahoo"), kDialectDir + "ORCL.csv");
  REQUIRE(bars.size() == 10);
  CHECK(format_timestamp(bars.front().ts) == "1995-01-03");
  CHECK(bars.front().close == 2.117284);
  CHECK(format_timestamp(bars.back().ts) == "1995-01-16");
  return bars;
}

DataSourceConfig custom(ColumnMap columns) {
  auto src = source_with("custom");
  src.columns = columns;
  return src;
}

// The same instant in every row of a CSV given as "YYYY-MM-DD HH:MM:SS" UTC.
Timestamp utc(const char* text) { return day(text); }

}  // namespace

TEST_CASE("dialect: semicolons with RFC 4180 quoted fields read as the plain file",
          "[data][csv][dialect]") {
  // Quoted header cells (one with doubled quotes), quoted numbers on every
  // other row, a text column with the delimiter and doubled quotes inside, CRLF.
  auto src = source_with("custom");
  src.delimiter = ';';
  for (auto [field, header] : {std::pair{"date", "Date"}, {"open", "Open"}, {"high", "High"},
                               {"low", "Low"}, {"close", "Close"}, {"adj_close", "Adj \"Close\""},
                               {"volume", "Volume"}})
    src.columns_by_name.push_back({field, header, {"/cfg/data_sources.yaml", 3}});
  src.columns = ColumnMap{.date = -1, .time = -1, .open = -1, .high = -1, .low = -1, .close = -1,
                          .adj_close = -1, .volume = -1, .open_interest = -1};
  check_same_bars(read_file(src, kDialectDir + "ORCL_semicolon.csv"), plain_bars());
}

TEST_CASE("dialect: a date_format of %d.%m.%Y reads as the plain file", "[data][csv][dialect]") {
  auto src = source_with("yahoo");
  src.date_format = "%d.%m.%Y";
  check_same_bars(read_file(src, kDialectDir + "ORCL_dmy.csv"), plain_bars());
}

TEST_CASE("dialect: epoch milliseconds read as the plain file", "[data][csv][dialect]") {
  auto src = source_with("yahoo");
  src.date_format = "epoch_ms";
  check_same_bars(read_file(src, kDialectDir + "ORCL_epoch_ms.csv"), plain_bars());
  // Epoch numbers are exact: a zone does not move them.
  src.timezone = "America/New_York";
  check_same_bars(read_file(src, kDialectDir + "ORCL_epoch_ms.csv"), plain_bars());
}

TEST_CASE("dialect: ISO 8601 with T, Z, offsets and fractions reads as the plain file",
          "[data][csv][dialect]") {
  // Ten spellings of UTC midnight: Z, +01:00, -05:00 on the day before,
  // +0530, fractional seconds, +02 without minutes, a space instead of T.
  auto src = source_with("yahoo");
  check_same_bars(read_file(src, kDialectDir + "ORCL_iso_offsets.csv"), plain_bars());
  src.timezone = "Asia/Tokyo";  // every cell has an offset: the zone changes nothing
  check_same_bars(read_file(src, kDialectDir + "ORCL_iso_offsets.csv"), plain_bars());
}

TEST_CASE("dialect: a gzip file reads as the plain file, and file_for finds it",
          "[data][csv][dialect]") {
  check_same_bars(read_file(source_with("yahoo"), kDialectDir + "ORCL.csv.gz"), plain_bars());

  TempDir dir;
  std::filesystem::copy_file(kDialectDir + "ORCL.csv.gz", dir.path() / "ORCL.csv.gz");
  auto src = source_with("yahoo");
  src.path = dir.path().string();
  CHECK(src.file_for("ORCL") == (dir.path() / "ORCL.csv.gz").string());
  CHECK(src.file_for("MSFT") == (dir.path() / "MSFT.csv").string());  // what was looked for
}

TEST_CASE("dialect: a tab-separated file without a header, columns by index",
          "[data][csv][dialect]") {
  // Close,Open,High,Low,Date,Volume,Adj Close
  auto src = custom(ColumnMap{.date = 4, .time = -1, .open = 1, .high = 2, .low = 3, .close = 0,
                              .adj_close = 6, .volume = 5, .open_interest = -1});
  src.delimiter = '\t';
  src.header = false;
  check_same_bars(read_file(src, kDialectDir + "ORCL_noheader.tsv"), plain_bars());
  // The range applies to the first row too.
  const auto from_second = read_file(src, kDialectDir + "ORCL_noheader.tsv", day("1995-01-04"));
  REQUIRE(from_second.size() == 9);
  CHECK(format_timestamp(from_second.front().ts) == "1995-01-04");
}

TEST_CASE("dialect: date and time patterns, %y, month names, 12-hour clocks, compact times",
          "[data][csv][dialect]") {
  TempFile f("patterns.csv",
             "When,At,Open,High,Low,Close,Volume\n"
             "02-Jan-06,9:05 AM,10,11,9,10.5,100\n"
             "02-jan-06,3:30 PM,10.5,12,10,11.5,200\n"
             "03-JAN-06,12:00 AM,11.5,13,11,12.5,300\n"
             "03-Jan-06,12:00 PM,12.5,14,12,13.5,400\n");
  auto src = intraday_source();
  src.date_format = "%d-%b-%y";
  src.time_format = "%I:%M %p";
  const auto bars = read_file(src, f.path());
  REQUIRE(bars.size() == 4);
  CHECK(bars[0].ts == utc("2006-01-02 09:05:00"));
  CHECK(bars[1].ts == utc("2006-01-02 15:30:00"));
  CHECK(bars[2].ts == utc("2006-01-03 00:00:00"));
  CHECK(bars[3].ts == utc("2006-01-03 12:00:00"));

  TempFile compact("compact.csv",
                   "d,t,o,h,l,c,v\n"
                   "20060102,0905,10,11,9,10.5,100\n"
                   "20060102,1530,10.5,12,10,11.5,200\n");
  src.date_format = "%Y%m%d";
  src.time_format = "%H%M";
  const auto c = read_file(src, compact.path());
  REQUIRE(c.size() == 2);
  CHECK(c[0].ts == utc("2006-01-02 09:05:00"));
  CHECK(c[1].ts == utc("2006-01-02 15:30:00"));

  TempFile us("us.csv",
              "Date,Open,High,Low,Close,Volume\n"
              "1/5/2024 9:30:00,10,11,9,10.5,100\n"
              "01/05/2024 16:00:00.250,10.5,12,10,11.5,200\n");
  auto one = source_with("ohlcv");
  one.date_format = "%m/%d/%Y %H:%M:%S";
  CHECK_THROWS_AS(read_file(one, us.path()), DataError);  // ".250" is not in that pattern
  one.date_format = "%m/%d/%Y %H:%M:%S.%f";
  const auto e = expect_data_error([&] { read_file(one, us.path()); });
  CHECK(e.line() == 2);
  CHECK_THAT(e.reason(),
             Catch::Equals("column 'Date': '1/5/2024 9:30:00' is not a valid date "
                           "(%m/%d/%Y %H:%M:%S.%f)"));
}

TEST_CASE("dialect: bad rows still name the file, the line and the reason",
          "[data][csv][dialect][errors]") {
  auto src = source_with("yahoo");
  src.delimiter = ';';
  TempFile open_quote("open_quote.csv",
                      "Date;Open;High;Low;Close;Adj Close;Volume\n"
                      "1995-01-03;2.1;2.2;2.0;2.1;2.1;100\n"
                      "\"1995-01-04;2.1;2.2;2.0;2.1;2.1;100\n");
  auto e = expect_data_error([&] { read_file(src, open_quote.path()); });
  CHECK(e.file() == open_quote.path());
  CHECK(e.line() == 3);
  CHECK(e.reason() == "a quoted field is not closed on this line");

  TempFile after_quote("after_quote.csv",
                       "Date;Open;High;Low;Close;Adj Close;Volume\n"
                       "\"1995-01-03\"x;2.1;2.2;2.0;2.1;2.1;100\n");
  e = expect_data_error([&] { read_file(src, after_quote.path()); });
  CHECK(e.line() == 2);
  CHECK(e.reason() == "text after the closing quote of a field");

  TempFile bad_epoch("bad_epoch.csv",
                     "t;o;h;l;c;a;v\n"
                     "789091200000;2.1;2.2;2.0;2.1;2.1;100\n"
                     "78909x;2.1;2.2;2.0;2.1;2.1;100\n");
  src.date_format = "epoch_ms";
  e = expect_data_error([&] { read_file(src, bad_epoch.path()); });
  CHECK(e.line() == 3);
  CHECK(e.reason() == "column 't': '78909x' is not a valid date (epoch_ms)");

  TempFile bad_gzip("bad.csv.gz", "Date,Open\nnot gzip at all but plain text\n");
  auto plain = source_with("yahoo");
  e = expect_data_error([&] { read_file(plain, bad_gzip.path()); });
  CHECK(e.file() == bad_gzip.path());  // zlib reads plain bytes as they are: a short header
  CHECK(e.line() == 1);
}

TEST_CASE("dialect: a truncated gzip file is an error at the line being read",
          "[data][csv][dialect][errors]") {
  std::ifstream in(kDialectDir + "ORCL.csv.gz", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  TempFile cut("cut.csv.gz", bytes.substr(0, bytes.size() - 40));
  const auto e = expect_data_error([&] { read_file(source_with("yahoo"), cut.path()); });
  CHECK(e.file() == cut.path());
  CHECK_THAT(e.reason(), Catch::Contains("gzip"));
}

// ---- time zones ---------------------------------------------------------------

TEST_CASE("time zone: naive New York minutes equal the same minutes given in UTC with Z",
          "[data][csv][timezone]") {
  auto ny = intraday_source();
  ny.timezone = "America/New_York";
  const auto naive = read_file(ny, kDialectDir + "AAPL_1m_new_york.csv");
  const auto zulu = read_file(source_with("ohlcv"), kDialectDir + "AAPL_1m_utc.csv");
  check_same_bars(naive, zulu);
  REQUIRE(naive.size() == 16);
  // Friday 2024-03-08 is EST (UTC-5); Monday 2024-03-11 is EDT (UTC-4).
  CHECK(naive[0].ts == utc("2024-03-08 14:30:00"));
  CHECK(naive[7].ts == utc("2024-03-08 20:59:00"));
  CHECK(naive[8].ts == utc("2024-03-11 13:30:00"));
  CHECK(naive[15].ts == utc("2024-03-11 19:59:00"));

  // The UTC file's zone does not matter: every cell has a Z.
  auto zulu_source = source_with("ohlcv");
  zulu_source.timezone = "Europe/Berlin";
  check_same_bars(read_file(zulu_source, kDialectDir + "AAPL_1m_utc.csv"), zulu);
}

TEST_CASE("time zone: a date alone is local midnight, and UTC changes nothing",
          "[data][csv][timezone]") {
  auto src = source_with("yahoo");
  src.timezone = "UTC";
  check_same_bars(read_file(src, kDialectDir + "ORCL.csv"), plain_bars());
  src.timezone = "America/New_York";
  const auto ny = read_file(src, kDialectDir + "ORCL.csv");
  REQUIRE(ny.size() == 10);
  CHECK(ny[0].ts == utc("1995-01-03 05:00:00"));
  src.timezone = "Asia/Tokyo";
  CHECK(read_file(src, kDialectDir + "ORCL.csv")[0].ts == utc("1995-01-02 15:00:00"));
}

TEST_CASE("time zone: an unknown zone in a source built in code is a DataError",
          "[data][csv][timezone][errors]") {
  auto src = source_with("yahoo");
  src.timezone = "Not/AZone";
  const auto e = expect_data_error([&] { read_file(src, kDialectDir + "ORCL.csv"); });
  CHECK_THAT(e.reason(), Catch::Contains("unknown time zone 'Not/AZone'"));
}
