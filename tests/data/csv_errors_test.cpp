// One bad input per test: the DataError names the file, the physical line and
// what is wrong.
#include "data_test_support.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

DataError error_reading(const std::string& name, const DataSourceConfig& source = source_with("yahoo"),
                        Timestamp start = kNoStart, Timestamp end = kNoEnd) {
  return expect_data_error([&] { read_file(source, kBadDir + name, start, end); });
}

void check_error(const DataError& e, const std::string& name, long line, const std::string& says) {
  CHECK(e.file() == kBadDir + name);
  CHECK(e.line() == line);
  CHECK_THAT(e.reason(), Catch::Contains(says));
  CHECK_THAT(std::string(e.what()), Catch::StartsWith(kBadDir + name + ":" + std::to_string(line) + ": "));
}

}  // namespace

TEST_CASE("bad data: unparsable number names the column and the text", "[data][csv][errors]") {
  check_error(error_reading("unparsable_number.csv"), "unparsable_number.csv", 4,
              "column 'Close': cannot parse 'abc' as a number");
}

TEST_CASE("bad data: NaN price", "[data][csv][errors]") {
  check_error(error_reading("nan_price.csv"), "nan_price.csv", 4, "column 'High': 'nan' is NaN");
}

TEST_CASE("bad data: infinite price", "[data][csv][errors]") {
  check_error(error_reading("inf_price.csv"), "inf_price.csv", 4, "column 'Low': 'inf' is infinite");
}

TEST_CASE("bad data: zero price", "[data][csv][errors]") {
  check_error(error_reading("zero_price.csv"), "zero_price.csv", 4, "column 'Open': zero price '0.00'");
}

// 1e308 parses, but a position of it overflows cash to inf (issue #14).
TEST_CASE("bad data: a price above the engine's limit", "[data][csv][errors][hardening]") {
  check_error(error_reading("huge_price.csv"), "huge_price.csv", 4,
              "column 'High': price '1e308' is above the largest accepted price, 1e+12");
}

TEST_CASE("bad data: negative price", "[data][csv][errors]") {
  check_error(error_reading("negative_price.csv"), "negative_price.csv", 4,
              "column 'Low': negative price '-2.111111'");
}

TEST_CASE("bad data: high below low", "[data][csv][errors]") {
  check_error(error_reading("high_below_low.csv"), "high_below_low.csv", 4,
              "high 2.111111 is below low 2.160494");
}

TEST_CASE("bad data: negative volume", "[data][csv][errors]") {
  check_error(error_reading("negative_volume.csv"), "negative_volume.csv", 4,
              "column 'Volume': negative volume '-30204800'");
}

TEST_CASE("bad data: date out of order names both dates", "[data][csv][errors]") {
  check_error(error_reading("out_of_order.csv"), "out_of_order.csv", 4,
              "timestamp 1995-01-02 is out of order: it follows 1995-01-04");
}

TEST_CASE("bad data: duplicate date names both rows' dates", "[data][csv][errors]") {
  check_error(error_reading("duplicate_date.csv"), "duplicate_date.csv", 4,
              "duplicate timestamp 1995-01-04: the previous row has 1995-01-04 too");
}

TEST_CASE("bad data: too few and too many columns", "[data][csv][errors]") {
  check_error(error_reading("too_few_columns.csv"), "too_few_columns.csv", 4,
              "wrong number of columns: expected 7 as in the header, found 6");
  check_error(error_reading("too_many_columns.csv"), "too_many_columns.csv", 4,
              "wrong number of columns: expected 7 as in the header, found 8");
}

TEST_CASE("bad data: impossible and unparsable dates", "[data][csv][errors]") {
  check_error(error_reading("impossible_date.csv"), "impossible_date.csv", 4,
              "column 'Date': '1995-02-30' is not a valid date");
  check_error(error_reading("unparsable_date.csv"), "unparsable_date.csv", 4,
              "column 'Date': '01/05/1995' is not a valid date");
}

TEST_CASE("bad data: missing file is reported at line 0", "[data][csv][errors]") {
  const auto e = error_reading("no_such_file.csv");
  check_error(e, "no_such_file.csv", 0, "cannot open file");
  CHECK_THAT(e.reason(), Catch::Contains("No such file"));
}

TEST_CASE("bad data: empty file", "[data][csv][errors]") {
  check_error(error_reading("empty.csv"), "empty.csv", 1, "empty file: expected a header row");
}

TEST_CASE("bad data: missing header row", "[data][csv][errors]") {
  check_error(error_reading("missing_header.csv"), "missing_header.csv", 1, "missing header row");
}

TEST_CASE("bad data: header with fewer columns than the layout needs", "[data][csv][errors]") {
  check_error(error_reading("short_header.csv"), "short_header.csv", 1,
              "header has 5 columns, but this layout needs at least 7");
}

TEST_CASE("bad data: an empty line followed by more rows", "[data][csv][errors]") {
  check_error(error_reading("blank_line_in_middle.csv"), "blank_line_in_middle.csv", 4,
              "empty line before more rows");
}

TEST_CASE("bad data: line numbers count CRLF lines", "[data][csv][errors]") {
  check_error(error_reading("crlf_ohlcv_nan_close.txt", source_with("ohlcv")),
              "crlf_ohlcv_nan_close.txt", 3, "column 'Close': 'NaN' is NaN");
}

TEST_CASE("bad rows before the start date are still reported", "[data][csv][errors]") {
  check_error(error_reading("out_of_order.csv", source_with("yahoo"), *parse_date("1995-01-06")),
              "out_of_order.csv", 4, "out of order");
}

TEST_CASE("rows after the end date are not read", "[data][csv][errors]") {
  // The bad row (line 4) comes after the row of the end date (line 3).
  const auto bars = read_file(source_with("yahoo"), kBadDir + "zero_price.csv", kNoStart,
                              *parse_date("1995-01-04"));
  REQUIRE(bars.size() == 2);
  CHECK(format_date(bars[1].ts) == "1995-01-04");
}

TEST_CASE("the error surfaces when the bad row is reached, after the good bars", "[data][csv][errors]") {
  auto stream = open_csv_stream(source_with("yahoo"), kBadDir + "nan_price.csv", 0, kNoStart, kNoEnd);
  Bar b;
  REQUIRE(stream->next(b));
  REQUIRE(stream->next(b));
  CHECK(format_date(b.ts) == "1995-01-04");
  const DataError e = expect_data_error([&] { stream->next(b); });
  check_error(e, "nan_price.csv", 4, "column 'High': 'nan' is NaN");
}
