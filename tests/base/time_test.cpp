#include <catch2/catch.hpp>

#include "qtrader/time.hpp"

using namespace qtrader;

TEST_CASE("dates round-trip through Timestamp", "[base][time]") {
  auto ts = parse_date("1995-01-03");
  REQUIRE(ts);
  CHECK(*ts == 9133LL * kNanosPerDay);
  CHECK(format_timestamp(*ts) == "1995-01-03");
  CHECK(format_timestamp(*parse_timestamp("2006-01-02 09:05:00")) == "2006-01-02 09:05:00");
}

TEST_CASE("malformed and impossible dates are refused", "[base][time]") {
  CHECK_FALSE(parse_date("1995-02-29"));
  CHECK_FALSE(parse_date("1995-13-01"));
  CHECK_FALSE(parse_date("95-01-03"));
  CHECK_FALSE(parse_date("1995-01-3x"));
  CHECK_FALSE(parse_timestamp("2006-01-02 25:00:00"));
  CHECK(parse_date("1996-02-29"));
}

TEST_CASE("dates outside the nanosecond range are refused", "[base][time]") {
  CHECK_FALSE(parse_date("1600-01-01"));
  CHECK_FALSE(parse_date("2300-01-01"));
  CHECK(parse_date("2261-12-31"));
}
