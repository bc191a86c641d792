// The hot-path parsers against the slow, obviously right ones.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "data/csv_fields.hpp"
#include "data/month_date_cache.hpp"
#include "data_test_support.hpp"

using namespace qtrader;
using namespace qtrader::data_detail;

TEST_CASE("fast number path gives strtod's double for short decimals", "[data][parse]") {
  std::mt19937_64 rng(20240611);
  for (int i = 0; i < 200000; ++i) {
    // Up to 15 significant digits with 0..15 of them after the point.
    const int digits = 1 + static_cast<int>(rng() % 15);
    const int fraction = static_cast<int>(rng() % (digits + 1));
    std::string s;
    if (rng() % 8 == 0) s += '-';
    for (int d = 0; d < digits; ++d) {
      if (d == digits - fraction) s += (d == 0 ? "0." : ".");
      s += static_cast<char>('0' + rng() % 10);
    }
    double fast = 0.0;
    INFO(s);
    REQUIRE(parse_number(s, fast) == NumberStatus::Ok);
    const double reference = std::strtod(s.c_str(), nullptr);
    REQUIRE(std::memcmp(&fast, &reference, sizeof fast) == 0);
  }
}

TEST_CASE("number parsing edge cases", "[data][parse]") {
  double v = 0.0;
  CHECK(parse_number("36301200", v) == NumberStatus::Ok);
  CHECK(v == 36301200.0);
  CHECK(parse_number("2.179012", v) == NumberStatus::Ok);
  CHECK(v == 2.179012);
  CHECK(parse_number("1234567890123456789", v) == NumberStatus::Ok);  // slow path: 19 digits
  CHECK(v == 1234567890123456789.0);
  CHECK(parse_number("0.12345678901234567", v) == NumberStatus::Ok);
  CHECK(v == 0.12345678901234567);
  CHECK(parse_number("1.5e3", v) == NumberStatus::Ok);
  CHECK(v == 1500.0);
  CHECK(parse_number(" 2.5 ", v) == NumberStatus::Ok);  // surrounding blanks tolerated
  CHECK(v == 2.5);
  CHECK(parse_number("-0.25", v) == NumberStatus::Ok);
  CHECK(v == -0.25);
  CHECK(parse_number("", v) == NumberStatus::Unparsable);
  CHECK(parse_number("-", v) == NumberStatus::Unparsable);
  CHECK(parse_number(".", v) == NumberStatus::Unparsable);
  CHECK(parse_number("1.2.3", v) == NumberStatus::Unparsable);
  CHECK(parse_number("12abc", v) == NumberStatus::Unparsable);
  CHECK(parse_number("1,5", v) == NumberStatus::Unparsable);
  CHECK(parse_number("null", v) == NumberStatus::Unparsable);
  CHECK(parse_number("nan", v) == NumberStatus::NaN);
  CHECK(parse_number("NaN", v) == NumberStatus::NaN);
  CHECK(parse_number("inf", v) == NumberStatus::Infinite);
  CHECK(parse_number("-Infinity", v) == NumberStatus::Infinite);
  CHECK(parse_number("1e999", v) != NumberStatus::Ok);
}

TEST_CASE("field splitting counts every field, stored or not", "[data][parse]") {
  std::string_view fields[3];
  CHECK(split_fields("a,b,c", fields, 3) == 3);
  CHECK(fields[0] == "a");
  CHECK(fields[2] == "c");
  CHECK(split_fields("a,,c,d", fields, 3) == 4);
  CHECK(fields[1].empty());
  CHECK(split_fields("", fields, 3) == 1);
  CHECK(split_fields("x,", fields, 3) == 2);
  CHECK(fields[1].empty());
}

TEST_CASE("time of day parsing", "[data][parse]") {
  CHECK(parse_time_of_day("09:05:00") == (9 * 3600 + 5 * 60) * kNanosPerSecond);
  CHECK(parse_time_of_day("23:59:59") == (23 * 3600 + 59 * 60 + 59) * kNanosPerSecond);
  CHECK(parse_time_of_day("16:30") == (16 * 3600 + 30 * 60) * kNanosPerSecond);
  CHECK_FALSE(parse_time_of_day("24:00:00"));
  CHECK_FALSE(parse_time_of_day("12:60:00"));
  CHECK_FALSE(parse_time_of_day("9:05:00"));
  CHECK_FALSE(parse_time_of_day("09-05-00"));
}

TEST_CASE("the month cache agrees with parse_timestamp on every day and its neighbours", "[data][parse]") {
  MonthDateCache cache;
  // Every calendar day 1900-01-01 .. 2100-12-31 in order, each followed by the
  // impossible or malformed days of its month, so cached months are probed too.
  const Timestamp first = *parse_date("1900-01-01");
  const Timestamp last = *parse_date("2100-12-31");
  long checked = 0;
  for (Timestamp ts = first; ts <= last; ts += kNanosPerDay) {
    const std::string date = format_date(ts);
    REQUIRE(cache.parse(date) == ts);
    for (const char* day : {"00", "29", "30", "31", "32", "3x", "x1"}) {
      std::string probe = date.substr(0, 8) + day;
      INFO(probe);
      REQUIRE(cache.parse(probe) == parse_timestamp(probe));
      ++checked;
    }
  }
  CHECK(checked > 500000);
  CHECK(cache.parse("2000-02-29") == parse_date("2000-02-29"));
  CHECK_FALSE(cache.parse("1900-02-29"));
  CHECK_FALSE(cache.parse("2000-02-30"));
  CHECK(cache.parse("2006-01-02 09:05:00") == parse_timestamp("2006-01-02 09:05:00"));
  CHECK_FALSE(cache.parse("2006-01-0"));
  CHECK_FALSE(cache.parse("2006/01/02"));
}
