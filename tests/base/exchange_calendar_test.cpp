// The XNYS calendar file (data/calendars/XNYS.csv, made by
// data/calendars/generate_xnys.py from the NYSE's rules) against holiday and
// early-close lists written here by hand from the NYSE's published holiday
// pages for 2001, 2010, 2012, 2015, 2016, 2018, 2019, 2020, 2021, 2022, 2023,
// 2024 and 2025: every weekday of those years is a session unless listed.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "qtrader/errors.hpp"
#include "qtrader/exchange_calendar.hpp"
#include "qtrader/time.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

const ExchangeCalendar& xnys() {
  static const ExchangeCalendar cal = ExchangeCalendar::load_builtin("XNYS", QTRADER_SOURCE_DIR "/data");
  return cal;
}

std::int64_t day(const std::string& text) { return *parse_date(text) / kNanosPerDay; }

struct Year {
  std::vector<std::string> closed;
  std::vector<std::string> early;  // 13:00 closes
};

// From the NYSE holiday pages of each year (and its announcements of the
// special closings: Sept 11 2001, Hurricane Sandy, the Bush and Carter days of
// mourning).
const std::map<int, Year> kPublished = {
    {2001, {{"2001-01-01", "2001-01-15", "2001-02-19", "2001-04-13", "2001-05-28", "2001-07-04",
             "2001-09-03", "2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14", "2001-11-22",
             "2001-12-25"},
            {"2001-07-03", "2001-11-23", "2001-12-24"}}},
    {2010, {{"2010-01-01", "2010-01-18", "2010-02-15", "2010-04-02", "2010-05-31", "2010-07-05",
             "2010-09-06", "2010-11-25", "2010-12-24"},
            {"2010-11-26"}}},
    {2012, {{"2012-01-02", "2012-01-16", "2012-02-20", "2012-04-06", "2012-05-28", "2012-07-04",
             "2012-09-03", "2012-10-29", "2012-10-30", "2012-11-22", "2012-12-25"},
            {"2012-07-03", "2012-11-23", "2012-12-24"}}},
    {2015, {{"2015-01-01", "2015-01-19", "2015-02-16", "2015-04-03", "2015-05-25", "2015-07-03",
             "2015-09-07", "2015-11-26", "2015-12-25"},
            {"2015-11-27", "2015-12-24"}}},
    {2016, {{"2016-01-01", "2016-01-18", "2016-02-15", "2016-03-25", "2016-05-30", "2016-07-04",
             "2016-09-05", "2016-11-24", "2016-12-26"},
            {"2016-11-25"}}},
    {2018, {{"2018-01-01", "2018-01-15", "2018-02-19", "2018-03-30", "2018-05-28", "2018-07-04",
             "2018-09-03", "2018-11-22", "2018-12-05", "2018-12-25"},
            {"2018-07-03", "2018-11-23", "2018-12-24"}}},
    {2019, {{"2019-01-01", "2019-01-21", "2019-02-18", "2019-04-19", "2019-05-27", "2019-07-04",
             "2019-09-02", "2019-11-28", "2019-12-25"},
            {"2019-07-03", "2019-11-29", "2019-12-24"}}},
    {2020, {{"2020-01-01", "2020-01-20", "2020-02-17", "2020-04-10", "2020-05-25", "2020-07-03",
             "2020-09-07", "2020-11-26", "2020-12-25"},
            {"2020-11-27", "2020-12-24"}}},
    {2021, {{"2021-01-01", "2021-01-18", "2021-02-15", "2021-04-02", "2021-05-31", "2021-07-05",
             "2021-09-06", "2021-11-25", "2021-12-24"},
            {"2021-11-26"}}},
    {2022, {{"2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20", "2022-07-04",
             "2022-09-05", "2022-11-24", "2022-12-26"},
            {"2022-11-25"}}},
    {2023, {{"2023-01-02", "2023-01-16", "2023-02-20", "2023-04-07", "2023-05-29", "2023-06-19",
             "2023-07-04", "2023-09-04", "2023-11-23", "2023-12-25"},
            {"2023-07-03", "2023-11-24"}}},
    {2024, {{"2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19",
             "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"},
            {"2024-07-03", "2024-11-29", "2024-12-24"}}},
    {2025, {{"2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26",
             "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"},
            {"2025-07-03", "2025-11-28", "2025-12-24"}}},
};

}  // namespace

TEST_CASE("XNYS agrees with the published NYSE holidays and early closes of 13 years") {
  const ExchangeCalendar& cal = xnys();
  for (const auto& [year, published] : kPublished) {
    const std::set<std::string> closed(published.closed.begin(), published.closed.end());
    const std::set<std::string> early(published.early.begin(), published.early.end());
    for (std::int64_t d = day(std::to_string(year) + "-01-01"); d < day(std::to_string(year + 1) + "-01-01"); ++d) {
      const std::string text = format_date(d * kNanosPerDay);
      const int weekday = static_cast<int>(((d + 3) % 7 + 7) % 7);  // 0 = Monday
      INFO(text);
      CHECK(cal.is_session(d) == (weekday < 5 && !closed.count(text)));
      CHECK(cal.is_early_close(d) == early.count(text) > 0);
    }
  }
  // Trading days per year as the NYSE reports them.
  auto count = [&](int year) {
    int n = 0;
    for (std::int64_t d = day(std::to_string(year) + "-01-01"); d < day(std::to_string(year + 1) + "-01-01"); ++d)
      n += cal.is_session(d);
    return n;
  };
  CHECK(count(2012) == 250);
  CHECK(count(2019) == 252);
  CHECK(count(2023) == 250);
  CHECK(count(2024) == 252);
}

TEST_CASE("XNYS sessions open and close at 09:30 and 16:00 New York time, 13:00 on early closes") {
  const ExchangeCalendar& cal = xnys();
  CHECK(cal.name() == "XNYS");
  CHECK(cal.zone().name() == "America/New_York");
  CHECK(cal.first_year() == 1990);
  CHECK(cal.last_year() == 2030);
  // Winter (EST, UTC-5) and summer (EDT, UTC-4).
  CHECK(format_timestamp(cal.session_open(day("2024-01-02"))) == "2024-01-02 14:30:00");
  CHECK(format_timestamp(cal.session_close(day("2024-01-02"))) == "2024-01-02 21:00:00");
  CHECK(format_timestamp(cal.session_open(day("2024-07-01"))) == "2024-07-01 13:30:00");
  CHECK(format_timestamp(cal.session_close(day("2024-07-03"))) == "2024-07-03 17:00:00");
  CHECK(format_timestamp(cal.session_close(day("2024-11-29"))) == "2024-11-29 18:00:00");
  CHECK(format_timestamp(cal.session_close(day("1992-12-24"))) == "1992-12-24 19:00:00");  // 14:00 EST
  CHECK(cal.in_session(cal.session_open(day("2024-01-02"))));
  CHECK_FALSE(cal.in_session(cal.session_close(day("2024-01-02"))));
  CHECK_FALSE(cal.in_session(cal.session_open(day("2024-01-02")) - 1));
}

TEST_CASE("XNYS next and previous sessions skip weekends and holidays") {
  const ExchangeCalendar& cal = xnys();
  CHECK(cal.next_session(day("2024-03-28")) == day("2024-04-01"));      // Good Friday, weekend
  CHECK(cal.previous_session(day("2024-04-01")) == day("2024-03-28"));
  CHECK(cal.next_session(day("2012-10-26")) == day("2012-10-31"));      // Sandy
  CHECK(cal.previous_session(day("2001-09-17")) == day("2001-09-10"));  // Sept 11
  CHECK(cal.session_on_or_after(day("2024-12-25")) == day("2024-12-26"));
  CHECK(cal.session_on_or_after(day("2024-12-26")) == day("2024-12-26"));
  // Outside the file's years every weekday is a session.
  CHECK(cal.is_session(day("2031-01-01")));
  CHECK_FALSE(cal.is_session(day("2031-01-04")));  // a Saturday
}

TEST_CASE("A calendar file with a bad row names its file and line") {
  const test::TempDir dir("calendar");
  const std::string path = (dir / "bad_calendar.csv").string();
  {
    std::ofstream out(path);
    out << "# comment\ndate,kind,close_time,name\n2024-01-01,holiday,,New Year\n2024-07-03,early,13:00,x\n";
  }
  const CalendarSpec* spec = find_calendar_spec("XNYS");
  REQUIRE(spec);
  CHECK_THROWS_WITH(ExchangeCalendar::load(*spec, path),
                    path + ":4: kind 'early' is not holiday or early_close");
  CHECK(find_calendar_spec("XLON") == nullptr);
}
