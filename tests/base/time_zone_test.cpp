// TimeZone against dates whose offsets are published (tz database, US DST rules
// since 2007: second Sunday of March to first Sunday of November).
#include <catch2/catch.hpp>

#include "qtrader/time.hpp"
#include "qtrader/time_zone.hpp"

using namespace qtrader;

namespace {
Timestamp at(const char* text) { return *parse_timestamp(text); }
constexpr Timestamp kHour = 3600LL * kNanosPerSecond;
}  // namespace

TEST_CASE("time zone: unknown names are refused, UTC needs no lookup", "[time_zone]") {
  CHECK_FALSE(TimeZone::find("Not/AZone"));
  CHECK_FALSE(TimeZone::find(""));
  CHECK(TimeZone::find("UTC")->is_utc());
  CHECK(TimeZone::find("America/New_York")->name() == "America/New_York");
  CHECK(TimeZone::utc().to_utc(at("2020-03-08 02:30:00")) == at("2020-03-08 02:30:00"));
}

TEST_CASE("time zone: New York naive times to UTC across both DST changes", "[time_zone]") {
  const TimeZone ny = *TimeZone::find("America/New_York");
  // Winter: UTC-5; summer: UTC-4.
  CHECK(ny.to_utc(at("2020-01-02 09:30:00")) == at("2020-01-02 14:30:00"));
  CHECK(ny.to_utc(at("2020-07-01 09:30:00")) == at("2020-07-01 13:30:00"));
  // 2020-03-08 02:30 does not exist: the instant of the change, 07:00 UTC.
  CHECK(ny.to_utc(at("2020-03-08 02:30:00")) == at("2020-03-08 07:00:00"));
  // 2020-11-01 01:30 happens twice: the earlier, still on daylight time.
  CHECK(ny.to_utc(at("2020-11-01 01:30:00")) == at("2020-11-01 05:30:00"));
  // The cache must not leak one period's offset into the next.
  CHECK(ny.to_utc(at("2020-11-02 09:30:00")) == at("2020-11-02 14:30:00"));
  CHECK(ny.offset(at("2020-11-02 14:30:00")) == -5 * kHour);
  CHECK(ny.offset(at("2020-06-02 14:30:00")) == -4 * kHour);
}

TEST_CASE("time zone: the local day of an instant", "[time_zone]") {
  const TimeZone ny = *TimeZone::find("America/New_York");
  const auto day = [](const char* d) { return *parse_date(d) / kNanosPerDay; };
  // 20:59 New York on 2 Jan is 01:59 UTC on 3 Jan.
  CHECK(ny.local_day(at("2020-01-03 01:59:00")) == day("2020-01-02"));
  CHECK(ny.local_day(at("2020-01-03 05:00:00")) == day("2020-01-03"));
  CHECK(ny.day_start(day("2020-07-01")) == at("2020-07-01 04:00:00"));
  const TimeZone tokyo = *TimeZone::find("Asia/Tokyo");
  CHECK(tokyo.local_day(at("2020-01-02 15:00:00")) == day("2020-01-03"));
  // Before 1970 days floor towards the past.
  CHECK(TimeZone::utc().local_day(at("1969-12-31 12:00:00")) == -1);
}
