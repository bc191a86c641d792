// CellTimeFormat: ISO 8601, %-patterns and epoch numbers, exact values.
#include <catch2/catch.hpp>

#include "qtrader/time.hpp"
#include "qtrader/cell_time_format.hpp"

using namespace qtrader;

namespace {

CellTimeFormat format(const char* text, bool time_of_day = false) {
  std::string error;
  auto f = CellTimeFormat::compile(text, time_of_day, error);
  INFO(error);
  REQUIRE(f);
  return *f;
}

Timestamp at(const char* text) { return *parse_timestamp(text); }

// The cell read by `f`, which must match: {value, exact}.
std::pair<Timestamp, bool> read(const CellTimeFormat& f, const char* cell) {
  CellTime t;
  INFO(cell);
  REQUIRE(f.parse(cell, t));
  return {t.value, t.exact};
}

bool rejects(const CellTimeFormat& f, const char* cell) {
  CellTime t;
  return !f.parse(cell, t);
}

}  // namespace

TEST_CASE("cell time format: ISO 8601 dates, times, fractions, Z and offsets", "[base][time]") {
  const CellTimeFormat iso;
  CHECK(read(iso, "1995-01-03") == std::pair{at("1995-01-03"), false});
  CHECK(read(iso, "1995-01-03 09:30:00") == std::pair{at("1995-01-03 09:30:00"), false});
  CHECK(read(iso, "1995-01-03T09:30") == std::pair{at("1995-01-03 09:30:00"), false});
  CHECK(read(iso, "1995-01-03T09:30:00.123456789") ==
        std::pair{at("1995-01-03 09:30:00") + 123456789, false});
  CHECK(read(iso, "1995-01-03T09:30:00.5Z") == std::pair{at("1995-01-03 09:30:00") + 500000000, true});
  CHECK(read(iso, "1995-01-03T09:30:00+01:00") == std::pair{at("1995-01-03 08:30:00"), true});
  CHECK(read(iso, "1995-01-03T09:30:00-0530") == std::pair{at("1995-01-03 15:00:00"), true});
  CHECK(read(iso, "1995-01-03T22:00:00-05") == std::pair{at("1995-01-04 03:00:00"), true});
  for (const char* bad : {"1995-02-29", "1995-13-01", "1995-1-03", "1995-01-03T24:00:00",
                          "1995-01-03T09:30:00.", "1995-01-03T09:30:00.1234567890",
                          "1995-01-03T09:30:00+1", "1995-01-03T09:30:00 Z", "1677-01-01",
                          "2262-05-01", "1995-01-03x", ""})
    CHECK(rejects(iso, bad));
  CHECK(read(iso, "2000-02-29").first == at("2000-02-29"));

  const auto iso_time = format("", true);
  CHECK(read(iso_time, "09:30") == std::pair{Timestamp{9 * 3600 + 30 * 60} * kNanosPerSecond, false});
  CHECK(read(iso_time, "09:30:00Z") == std::pair{Timestamp{9 * 3600 + 30 * 60} * kNanosPerSecond, true});
}

TEST_CASE("cell time format: %-patterns", "[base][time]") {
  CHECK(read(format("%d.%m.%Y"), "03.01.1995").first == at("1995-01-03"));
  CHECK(read(format("%m/%d/%Y"), "1/3/1995").first == at("1995-01-03"));
  CHECK(read(format("%Y%m%d"), "19950103").first == at("1995-01-03"));
  CHECK(read(format("%y-%m-%d"), "68-01-03").first == at("2068-01-03"));
  CHECK(read(format("%y-%m-%d"), "69-01-03").first == at("1969-01-03"));
  CHECK(read(format("%d %b %Y %H:%M"), "03 Jan 1995 16:00").first == at("1995-01-03 16:00:00"));
  CHECK(read(format("%F %T.%f"), "1995-01-03 16:00:00.25").first ==
        at("1995-01-03 16:00:00") + 250000000);
  CHECK(read(format("%F %T%z"), "1995-01-03 16:00:00-0500") ==
        std::pair{at("1995-01-03 21:00:00"), true});
  CHECK(read(format("%Y-%m-%d %I:%M %p"), "1995-01-03 12:15 am").first == at("1995-01-03 00:15:00"));
  CHECK(read(format("%Y-%m-%d %I:%M %p"), "1995-01-03 12:15 PM").first == at("1995-01-03 12:15:00"));
  CHECK(read(format("%H%M", true), "0930").first == Timestamp{9 * 3600 + 30 * 60} * kNanosPerSecond);
  CHECK(read(format("100%% %Y-%m-%d"), "100% 1995-01-03").first == at("1995-01-03"));
  CHECK(rejects(format("%d.%m.%Y"), "31.02.1995"));
  CHECK(rejects(format("%d.%m.%Y"), "03.01.1995 "));
  CHECK(rejects(format("%Y%m%d"), "199501"));

  std::string error;
  CHECK_FALSE(CellTimeFormat::compile("%Y-%m", false, error));
  CHECK(error == "'%Y-%m': a date_format needs a year, a month and a day");
  CHECK_FALSE(CellTimeFormat::compile("%I:%M", true, error));
  CHECK(error == "'%I:%M': %I and %p go together");
  CHECK_FALSE(CellTimeFormat::compile("%Y-%m-%d", true, error));
  CHECK(error == "'%Y-%m-%d': a time_format holds time directives only");
  CHECK_FALSE(CellTimeFormat::compile("epoch_s", true, error));
  CHECK_FALSE(CellTimeFormat::compile("%Y-%m-%d%", false, error));
  CHECK(error == "'%Y-%m-%d%' ends with a lone '%'");
}

TEST_CASE("cell time format: epoch numbers are exact", "[base][time]") {
  CHECK(read(format("epoch_s"), "789091200") == std::pair{at("1995-01-03"), true});
  CHECK(read(format("epoch_s"), "789091200.000001") == std::pair{at("1995-01-03") + 1000, true});
  CHECK(read(format("epoch_ms"), "789091200123") == std::pair{at("1995-01-03") + 123000000, true});
  CHECK(read(format("epoch_us"), "789091200000001").first == at("1995-01-03") + 1000);
  CHECK(read(format("epoch_ns"), "789091200000000001").first == at("1995-01-03") + 1);
  CHECK(read(format("epoch_s"), "-86400").first == -kNanosPerDay);
  CHECK(rejects(format("epoch_ms"), "789091200123.5"));
  CHECK(rejects(format("epoch_s"), "99999999999"));  // beyond int64 nanoseconds
  CHECK(rejects(format("epoch_s"), ""));
  CHECK(rejects(format("epoch_s"), "-"));
  CHECK(rejects(format("epoch_s"), "1e9"));
}
