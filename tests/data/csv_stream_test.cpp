#include <cctype>
#include <cmath>
#include <string>

#include "csv_table.hpp"
#include "data_test_support.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("ORCL sample file: every row, exact values", "[data][csv]") {
  const auto bars = read_file(source_with("yahoo"), kSampleDir + "ORCL.csv", kNoStart, kNoEnd, 7);
  REQUIRE(bars.size() == 5036);

  const Bar& first = bars.front();
  CHECK(format_timestamp(first.ts) == "1995-01-03");
  CHECK(first.symbol == 7);
  CHECK(first.open == 2.179012);
  CHECK(first.high == 2.191358);
  CHECK(first.low == 2.117284);
  CHECK(first.close == 2.117284);
  CHECK(first.adj_close == 1.883304);
  CHECK(first.volume == 36301200.0);

  const Bar& last = bars.back();
  CHECK(format_timestamp(last.ts) == "2014-12-31");
  CHECK(last.open == 45.450001);
  CHECK(last.close == 44.970001);
  CHECK(last.adj_close == 42.303135);
  CHECK(last.volume == 13269200.0);
}

TEST_CASE("ORCL sample file agrees row by row with an independent reader", "[data][csv]") {
  const auto table = read_csv(kSampleDir + "ORCL.csv");
  const auto bars = read_file(source_with("yahoo"), kSampleDir + "ORCL.csv");
  REQUIRE(bars.size() == table.rows.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    INFO("row " << i);
    REQUIRE(format_date(bars[i].ts) == table.at(i, "Date"));
    REQUIRE(bars[i].open == std::stod(table.at(i, "Open")));
    REQUIRE(bars[i].high == std::stod(table.at(i, "High")));
    REQUIRE(bars[i].low == std::stod(table.at(i, "Low")));
    REQUIRE(bars[i].close == std::stod(table.at(i, "Close")));
    REQUIRE(bars[i].adj_close == std::stod(table.at(i, "Adj Close")));
    REQUIRE(bars[i].volume == std::stod(table.at(i, "Volume")));
  }
}

TEST_CASE("start and end dates are both inclusive", "[data][csv]") {
  const auto src = source_with("yahoo");
  const std::string orcl = kSampleDir + "ORCL.csv";

  auto bars = read_file(src, orcl, day("1995-01-04"), day("1995-01-06"));
  REQUIRE(bars.size() == 3);
  CHECK(format_date(bars[0].ts) == "1995-01-04");
  CHECK(bars[0].open == 2.123457);
  CHECK(format_date(bars[1].ts) == "1995-01-05");
  CHECK(format_date(bars[2].ts) == "1995-01-06");
  CHECK(bars[2].close == 2.117284);

  // The whole of 2000 by date, as counted with awk over the file: 252 rows,
  // 2000-01-03 .. 2000-12-29; the bounds fall on non-trading days.
  bars = read_file(src, orcl, day("2000-01-01"), day("2000-12-31"));
  REQUIRE(bars.size() == 252);
  CHECK(format_date(bars.front().ts) == "2000-01-03");
  CHECK(bars.front().open == 31.156250);
  CHECK(format_date(bars.back().ts) == "2000-12-29");
  CHECK(bars.back().close == 29.062500);

  // A range between two trading days holds nothing.
  CHECK(read_file(src, orcl, day("1995-01-07"), day("1995-01-08")).empty());
  // A range after the file's last row holds nothing either.
  CHECK(read_file(src, orcl, day("2015-01-01"), day("2015-12-31")).empty());
}

TEST_CASE("adjusted price mode scales OHLC by adj_close / close", "[data][csv]") {
  auto bars = read_file(source_with("yahoo", "adjusted"), kSampleDir + "ORCL.csv", kNoStart,
                        day("1995-01-03"));
  REQUIRE(bars.size() == 1);
  const double factor = 1.883304 / 2.117284;
  CHECK(bars[0].open == 2.179012 * factor);
  CHECK(bars[0].high == 2.191358 * factor);
  CHECK(bars[0].low == 2.117284 * factor);
  CHECK(bars[0].close == 2.117284 * factor);
  CHECK(bars[0].close == Approx(1.883304).epsilon(1e-15));
  CHECK(bars[0].adj_close == 1.883304);
  CHECK(bars[0].volume == 36301200.0);
}

TEST_CASE("adjusted price mode needs an adjusted close column", "[data][csv]") {
  const auto e = expect_data_error([] {
    open_csv_stream(source_with("ohlcv", "adjusted"),
                    QTRADER_FIXTURES_DIR "/data/2006-volume-day-001.txt", 0, kNoStart, kNoEnd);
  });
  CHECK(e.line() == 0);
  CHECK(e.file() == QTRADER_FIXTURES_DIR "/data/2006-volume-day-001.txt");
  CHECK_THAT(e.reason(), Catch::Contains("adjusted close"));
}

TEST_CASE("unknown layout and price mode are reported at the config entry", "[data][csv]") {
  auto src = source_with("metastock");
  src.where = {"/cfg/data_sources.yaml", 12};
  auto e = expect_data_error(
      [&] { open_csv_stream(src, kSampleDir + "ORCL.csv", 0, kNoStart, kNoEnd); });
  CHECK(e.file() == "/cfg/data_sources.yaml");
  CHECK(e.line() == 12);
  CHECK_THAT(e.reason(), Catch::Contains("unknown layout 'metastock'"));

  src = source_with("yahoo", "split_only");
  e = expect_data_error(
      [&] { open_csv_stream(src, kSampleDir + "ORCL.csv", 0, kNoStart, kNoEnd); });
  CHECK(e.file() == kSampleDir + "ORCL.csv");
  CHECK(e.line() == 0);
  CHECK_THAT(e.reason(), Catch::Contains("unknown price_mode 'split_only'"));
}

TEST_CASE("ohlcv file with CRLF line endings", "[data][csv]") {
  const auto bars = read_file(source_with("ohlcv"), QTRADER_FIXTURES_DIR "/data/2006-volume-day-001.txt");
  REQUIRE(bars.size() == 255);
  // First and last lines of the file:
  // 2006-01-02,3602.00,3624.00,3596.00,3617.00,164794,1511674
  // 2006-12-29,4157.00,4167.00,4145.00,4157.00,205816,1916930
  CHECK(format_timestamp(bars.front().ts) == "2006-01-02");
  CHECK(bars.front().open == 3602.0);
  CHECK(bars.front().high == 3624.0);
  CHECK(bars.front().low == 3596.0);
  CHECK(bars.front().close == 3617.0);
  CHECK(bars.front().volume == 164794.0);
  CHECK(std::isnan(bars.front().adj_close));
  CHECK(format_timestamp(bars.back().ts) == "2006-12-29");
  CHECK(bars.back().open == 4157.0);
  CHECK(bars.back().high == 4167.0);
  CHECK(bars.back().low == 4145.0);
  CHECK(bars.back().close == 4157.0);
  CHECK(bars.back().volume == 205816.0);
}

TEST_CASE("ohlcv file with LF endings agrees with an independent reader", "[data][csv]") {
  const auto bars = read_file(source_with("ohlcv"), QTRADER_FIXTURES_DIR "/data/2006-day-001.txt");
  const auto table = read_csv(QTRADER_FIXTURES_DIR "/data/2006-day-001.txt");
  REQUIRE(bars.size() == table.rows.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    INFO("row " << i);
    REQUIRE(format_date(bars[i].ts) == table.at(i, "Date"));
    REQUIRE(bars[i].open == std::stod(table.at(i, "Open")));
    REQUIRE(bars[i].high == std::stod(table.at(i, "High")));
    REQUIRE(bars[i].low == std::stod(table.at(i, "Low")));
    REQUIRE(bars[i].close == std::stod(table.at(i, "Close")));
    REQUIRE(bars[i].volume == std::stod(table.at(i, "Volume")));
  }
}

TEST_CASE("ohlcv file without the optional open interest column", "[data][csv]") {
  TempFile f("ohlcv_no_oi.csv",
             "Date,Open,High,Low,Close,Volume\n"
             "2006-01-02,3602.00,3624.00,3596.00,3617.00,164794\n"
             "2006-01-03,3623.00,3665.00,3614.00,3665.00,554426\n");
  const auto bars = read_file(source_with("ohlcv"), f.path());
  REQUIRE(bars.size() == 2);
  CHECK(bars[1].close == 3665.0);
  CHECK(bars[1].volume == 554426.0);
}

TEST_CASE("line endings: LF, CRLF, no final newline, trailing empty line", "[data][csv]") {
  const std::string header = "Date,Open,High,Low,Close,Adj Close,Volume";
  const std::string r1 = "1995-01-03,2.179012,2.191358,2.117284,2.117284,1.883304,36301200";
  const std::string r2 = "1995-01-04,2.123457,2.148148,2.092592,2.135803,1.899776,46051600";
  const struct {
    const char* name;
    std::string bytes;
  } cases[] = {
      {"lf", header + "\n" + r1 + "\n" + r2 + "\n"},
      {"lf_no_final", header + "\n" + r1 + "\n" + r2},
      {"crlf", header + "\r\n" + r1 + "\r\n" + r2 + "\r\n"},
      {"crlf_no_final", header + "\r\n" + r1 + "\r\n" + r2},
      {"trailing_empty", header + "\n" + r1 + "\n" + r2 + "\n\n"},
      {"trailing_empty_crlf", header + "\r\n" + r1 + "\r\n" + r2 + "\r\n\r\n"},
      {"bom", "\xEF\xBB\xBF" + header + "\n" + r1 + "\n" + r2 + "\n"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    TempFile f(std::string(c.name) + ".csv", c.bytes);
    const auto bars = read_file(source_with("yahoo"), f.path());
    REQUIRE(bars.size() == 2);
    CHECK(format_date(bars[1].ts) == "1995-01-04");
    CHECK(bars[1].volume == 46051600.0);  // the last field, next to the line end
  }
}

TEST_CASE("a header-only file yields no bars", "[data][csv]") {
  TempFile f("header_only.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n");
  CHECK(read_file(source_with("yahoo"), f.path()).empty());
}

TEST_CASE("large files are read across chunk boundaries", "[data][csv]") {
  // 40000 rows (~2.2 MB, several 256 KiB chunks), one per day from 1990-01-01,
  // with row-dependent values and a fractional volume.
  std::string bytes = "Date,Open,High,Low,Close,Adj Close,Volume\n";
  const Timestamp first_day = day("1990-01-01");
  const int rows = 40000;
  for (int i = 0; i < rows; ++i) {
    bytes += format_date(first_day + i * kNanosPerDay) + "," + std::to_string(i + 1) + ".25," +
             std::to_string(i + 2) + ".5," + std::to_string(i + 1) + ".0," +
             std::to_string(i + 1) + ".75," + std::to_string(i + 1) + ".5," +
             std::to_string(i) + ".5\n";
  }
  TempFile f("large.csv", bytes);
  const auto bars = read_file(source_with("yahoo"), f.path());
  REQUIRE(bars.size() == static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    INFO("row " << i);
    REQUIRE(bars[i].ts == first_day + i * kNanosPerDay);
    REQUIRE(bars[i].open == i + 1.25);
    REQUIRE(bars[i].high == i + 2.5);
    REQUIRE(bars[i].close == i + 1.75);
    REQUIRE(bars[i].volume == i + 0.5);
  }
}

TEST_CASE("a line longer than the read buffer", "[data][csv]") {
  // An extra text column makes each row ~300 KB, longer than one 256 KiB chunk.
  const std::string note(300 * 1024, 'x');
  std::string bytes = "Date,Open,High,Low,Close,Volume,Note\n";
  bytes += "2006-01-02,10,11,9,10.5,100," + note + "\n";
  bytes += "2006-01-03,10.5,12,10,11.5,200," + note + "\n";
  bytes += "2006-01-04,11.5,13,11,12.5,300," + note;
  TempFile f("long_lines.csv", bytes);
  auto src = source_with("custom");
  src.columns = ColumnMap{};  // Date,Open,High,Low,Close,Volume; Note unused
  const auto bars = read_file(src, f.path());
  REQUIRE(bars.size() == 3);
  CHECK(bars[2].close == 12.5);
  CHECK(bars[2].volume == 300.0);
}

TEST_CASE("custom layout with a separate time column", "[data][csv]") {
  TempFile f("intraday.csv", kIntradayCsv);
  const auto src = intraday_source();
  // The end date takes in the whole day, so 2006-01-03 15:30 is the last bar.
  const auto bars = read_file(src, f.path(), day("2006-01-02"), day("2006-01-03"));
  REQUIRE(bars.size() == 4);
  CHECK(format_timestamp(bars[0].ts) == "2006-01-02 09:05:00");
  CHECK(bars[0].ts == day("2006-01-02") + (9 * 3600 + 5 * 60) * kNanosPerSecond);
  CHECK(format_timestamp(bars[3].ts) == "2006-01-03 15:30:00");
  CHECK(bars[3].close == 13.5);
  CHECK(std::isnan(bars[3].adj_close));

  // A start with a time of day starts there.
  const auto later = read_file(src, f.path(), day("2006-01-02 15:30:00"), kNoEnd);
  REQUIRE(later.size() == 4);
  CHECK(later[0].close == 11.5);
}

TEST_CASE("a yahoo source whose loader filled the column map is read by it", "[data][csv]") {
  auto src = source_with("yahoo");
  src.columns = ColumnMap{.date = 0, .time = -1, .open = 1, .high = 2, .low = 3, .close = 4,
                          .adj_close = 5, .volume = 6};
  CHECK(read_file(src, kSampleDir + "ORCL.csv").size() == 5036);
  // Untouched defaults mean the layout decides.
  const auto cols = columns_for(source_with("yahoo"));
  CHECK(cols.adj_close == 5);
  CHECK(cols.volume == 6);
  const auto ohlcv = columns_for(source_with("ohlcv"));
  CHECK(ohlcv.adj_close == -1);
  CHECK(ohlcv.volume == 5);
}

TEST_CASE("blanks around fields are tolerated", "[data][csv]") {
  TempFile f("blanks.csv",
             "Date,Open,High,Low,Close,Adj Close,Volume\n"
             " 1995-01-03 , 2.179012,2.191358 ,2.117284,\t2.117284,1.883304, 36301200\n");
  const auto bars = read_file(source_with("yahoo"), f.path());
  REQUIRE(bars.size() == 1);
  CHECK(format_date(bars[0].ts) == "1995-01-03");
  CHECK(bars[0].open == 2.179012);
  CHECK(bars[0].high == 2.191358);
  CHECK(bars[0].close == 2.117284);
  CHECK(bars[0].volume == 36301200.0);
}

TEST_CASE("custom layout with columns named by header cell", "[data][csv]") {
  TempFile f("by_name.csv",
             "Volume,Close,Low,High,Open,Time,Date\n"
             "100,10.5,9,11,10,09:05:00,2006-01-02\n"
             "200,11.5,10,12,10.5,15:30:00,2006-01-02\n");
  auto src = source_with("custom");
  src.columns = ColumnMap{.date = -1, .time = -1, .open = -1, .high = -1, .low = -1, .close = -1,
                          .adj_close = -1, .volume = -1};
  for (const char* field : {"date", "time", "open", "high", "low", "close", "volume"}) {
    std::string header = field;
    header[0] = static_cast<char>(std::toupper(header[0]));
    src.columns_by_name.push_back({field, header, {"/cfg/data_sources.yaml", 3}});
  }
  const auto bars = read_file(src, f.path());
  REQUIRE(bars.size() == 2);
  CHECK(format_timestamp(bars[1].ts) == "2006-01-02 15:30:00");
  CHECK(bars[1].open == 10.5);
  CHECK(bars[1].high == 12.0);
  CHECK(bars[1].low == 10.0);
  CHECK(bars[1].close == 11.5);
  CHECK(bars[1].volume == 200.0);

  // A named column missing from the header is the config entry's problem.
  src.columns_by_name.push_back({"adj_close", "Adj Close", {"/cfg/data_sources.yaml", 9}});
  try {
    read_file(src, f.path());
    FAIL("no ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.file() == "/cfg/data_sources.yaml");
    CHECK(e.line() == 9);
    CHECK_THAT(e.reason(), Catch::Contains("Adj Close"));
    CHECK_THAT(e.reason(), Catch::Contains(f.path()));
  }
}

TEST_CASE("a custom layout without a close column is refused", "[data][csv]") {
  auto src = source_with("custom");
  src.columns.close = -1;
  src.where = {"/cfg/data_sources.yaml", 4};
  const auto e = expect_data_error(
      [&] { open_csv_stream(src, QTRADER_FIXTURES_DIR "/data/2006-day-001.txt", 0, kNoStart, kNoEnd); });
  CHECK(e.file() == "/cfg/data_sources.yaml");
  CHECK(e.line() == 4);
  CHECK_THAT(e.reason(), Catch::Contains("close columns are required"));
}
