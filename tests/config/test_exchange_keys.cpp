// The exchange block of a data source (exchange_timezone, calendar,
// outside_session, frequency) and the backtest's exchange_timezone: each
// problem names the file, line and key.
#include <catch2/catch.hpp>

#include <fstream>

#include "config_checks.hpp"
#include "qtrader/config.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

// A data_sources.yaml with one source `s` and the given extra lines.
std::string sources_file(const TempDir& dir, const std::string& keys) {
  const std::string path = (dir / "data_sources.yaml").string();
  std::ofstream(path) << "sources:\n  s:\n    path: data\n" << keys;
  return path;
}

}  // namespace

TEST_CASE("exchange keys: defaults follow the calendar, else the source's timezone", "[config][exchange]") {
  const TempDir dir("exchange-keys");
  auto src = load_data_sources(sources_file(dir, "")).sources.at(0);
  CHECK(src.exchange_timezone == "UTC");
  CHECK(src.calendar.empty());
  CHECK(src.outside_session == "keep");
  CHECK(src.frequency == "auto");

  src = load_data_sources(sources_file(dir, "    timezone: Europe/London\n")).sources.at(0);
  CHECK(src.exchange_timezone == "Europe/London");

  src = load_data_sources(sources_file(dir, "    calendar: XNYS\n    outside_session: drop\n    frequency: intraday\n"))
            .sources.at(0);
  CHECK(src.exchange_timezone == "America/New_York");
  CHECK(src.calendar == "XNYS");
  CHECK(src.outside_session == "drop");
  CHECK(src.frequency == "intraday");

  src = load_data_sources(sources_file(dir, "    exchange_timezone: Asia/Tokyo\n")).sources.at(0);
  CHECK(src.exchange_timezone == "Asia/Tokyo");
}

TEST_CASE("exchange keys: unknown zones and calendars, and contradictions, are errors", "[config][exchange]") {
  const TempDir dir("exchange-errors");
  std::string f = sources_file(dir, "    exchange_timezone: Mars/Olympus\n");
  check_config_error(config_error_of([&] { load_data_sources(f); }), f, 4, "sources.s.exchange_timezone",
                     "unknown time zone 'Mars/Olympus' (an IANA name from the tz database, e.g. America/New_York, Europe/London, UTC)");
  f = sources_file(dir, "    calendar: XLON\n");
  check_config_error(config_error_of([&] { load_data_sources(f); }), f, 4, "sources.s.calendar",
                     "unknown calendar 'XLON' (known: XNYS)");
  f = sources_file(dir, "    calendar: XNYS\n    exchange_timezone: Europe/London\n");
  check_config_error(config_error_of([&] { load_data_sources(f); }), f, 5, "sources.s.exchange_timezone",
                     "calendar XNYS is in America/New_York, not Europe/London");
  f = sources_file(dir, "    outside_session: drop\n");
  check_config_error(config_error_of([&] { load_data_sources(f); }), f, 4, "sources.s.outside_session",
                     "outside_session drop needs a calendar (e.g. calendar: XNYS)");
}
