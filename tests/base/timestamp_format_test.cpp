// The run's one timestamp form: dates (the exchange's local date) or UTC
// instants with Z, and reading back what a run wrote.
#include <catch2/catch.hpp>

#include "qtrader/time.hpp"
#include "qtrader/timestamp_format.hpp"

using namespace qtrader;

TEST_CASE("dates are the exchange's local date, instants are ISO 8601 UTC with Z") {
  const TimeZone ny = *TimeZone::find("America/New_York");
  const Timestamp midnight_ny = ny.to_utc(*parse_timestamp("2024-01-02"));  // 05:00Z
  CHECK(TimestampFormat::dates(ny)(midnight_ny) == "2024-01-02");
  CHECK(TimestampFormat::dates(TimeZone::utc())(*parse_timestamp("2024-01-02")) == "2024-01-02");
  CHECK(TimestampFormat::instants()(midnight_ny) == "2024-01-02T05:00:00Z");
  CHECK(TimestampFormat::instants()(*parse_timestamp("2024-01-02")) == "2024-01-02T00:00:00Z");
  CHECK(TimestampFormat::instants()(*parse_timestamp("2024-01-02 14:30:00") + 1'500'000) ==
        "2024-01-02T14:30:00.0015Z");
  CHECK(TimestampFormat()(*parse_timestamp("2024-01-02 14:30:00")) == "2024-01-02 14:30:00");
  CHECK(std::string(TimestampFormat::instants().name()) == "instants");
}

TEST_CASE("parse_run_timestamp reads every form a run writes") {
  CHECK(parse_run_timestamp("2024-01-02T14:30:00Z") == parse_timestamp("2024-01-02 14:30:00"));
  CHECK(parse_run_timestamp("2024-01-02T14:30:00.0015Z") ==
        *parse_timestamp("2024-01-02 14:30:00") + 1'500'000);
  CHECK(parse_run_timestamp("2024-01-02") == parse_timestamp("2024-01-02"));
  CHECK(parse_run_timestamp("2024-01-02 14:30:00") == parse_timestamp("2024-01-02 14:30:00"));
  CHECK_FALSE(parse_run_timestamp("2024-01-02 14:30:00Z"));
  CHECK_FALSE(parse_run_timestamp("2024-01-02T14:30:00.Z"));
}
