#include "qtrader/exchange_calendar.hpp"

#include <array>
#include <fstream>
#include <stdexcept>

#include <date/date.h>

#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace {

// The calendars shipped in data/calendars/. Regular hours are local times.
constexpr std::array<CalendarSpec, 1> kCalendars{{
    {"XNYS", "America/New_York", 9 * 60 + 30, 16 * 60, "XNYS.csv"},
}};

std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  const std::int64_t r = a % b;
  return r < 0 ? r + b : r;
}

// 0 = Monday ... 6 = Sunday; 1970-01-01 was a Thursday.
int weekday(std::int64_t day) { return static_cast<int>(floor_mod(day + 3, 7)); }

int year_of(std::int64_t day) {
  return static_cast<int>(date::year_month_day{date::sys_days{date::days{day}}}.year());
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells(1);
  for (const char c : line) {
    if (c == ',') cells.emplace_back();
    else if (c != '\r') cells.back() += c;
  }
  return cells;
}

}  // namespace

const CalendarSpec* find_calendar_spec(std::string_view name) noexcept {
  for (const auto& spec : kCalendars)
    if (name == spec.name) return &spec;
  return nullptr;
}

std::string known_calendar_names() {
  std::string out;
  for (const auto& spec : kCalendars) out += (out.empty() ? "" : ", ") + std::string(spec.name);
  return out;
}

ExchangeCalendar ExchangeCalendar::load(const CalendarSpec& spec, const std::string& path) {
  ExchangeCalendar cal;
  cal.name_ = spec.name;
  const auto zone = TimeZone::find(spec.zone);
  if (!zone) throw DataError(path, 0, std::string("time zone ") + spec.zone + " is not in the tz database");
  cal.zone_ = *zone;
  cal.open_minute_ = spec.open_minute;
  cal.close_minute_ = spec.close_minute;
  std::ifstream in(path);
  if (!in) throw DataError(path, 0, "cannot open calendar file");
  std::string line;
  long n = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    if (!header) {  // the first other line names the columns
      if (line.rfind("date,kind,close_time", 0) != 0)
        throw DataError(path, n, "expected the header date,kind,close_time,name");
      header = true;
      continue;
    }
    const auto cells = split(line);
    if (cells.size() < 3) throw DataError(path, n, "expected date,kind,close_time,name");
    const auto date = parse_date(cells[0]);
    if (!date) throw DataError(path, n, "'" + cells[0] + "' is not a date YYYY-MM-DD");
    const std::int64_t day = *date / kNanosPerDay;
    Closing c;
    if (cells[1] == "holiday") {
      c.holiday = true;
    } else if (cells[1] == "early_close") {
      const auto t = parse_timestamp(cells[0] + " " + cells[2] + ":00");
      if (cells[2].size() != 5 || !t) throw DataError(path, n, "close_time '" + cells[2] + "' is not HH:MM");
      c.close_minute = static_cast<int>((*t - *date) / (60 * kNanosPerSecond));
    } else {
      throw DataError(path, n, "kind '" + cells[1] + "' is not holiday or early_close");
    }
    if (!cal.closings_.emplace(day, c).second) throw DataError(path, n, "date " + cells[0] + " is listed twice");
  }
  if (cal.closings_.empty()) throw DataError(path, n, "the calendar lists no days");
  cal.first_year_ = year_of(cal.closings_.begin()->first);
  cal.last_year_ = year_of(cal.closings_.rbegin()->first);
  return cal;
}

ExchangeCalendar ExchangeCalendar::load_builtin(std::string_view name, const std::string& data_dir) {
  const CalendarSpec* spec = find_calendar_spec(name);
  if (!spec)
    throw std::invalid_argument("unknown calendar '" + std::string(name) + "' (known: " +
                                known_calendar_names() + ")");
  return load(*spec, data_dir + "/calendars/" + spec->file);
}

const ExchangeCalendar::Closing* ExchangeCalendar::closing(std::int64_t day) const {
  const auto it = closings_.find(day);
  return it == closings_.end() ? nullptr : &it->second;
}

bool ExchangeCalendar::is_session(std::int64_t day) const {
  if (weekday(day) >= 5) return false;
  const Closing* c = closing(day);
  return !c || !c->holiday;
}

bool ExchangeCalendar::is_early_close(std::int64_t day) const {
  const Closing* c = closing(day);
  return c && !c->holiday && weekday(day) < 5;
}

std::int64_t ExchangeCalendar::next_session(std::int64_t day) const {
  do ++day;
  while (!is_session(day));
  return day;
}

std::int64_t ExchangeCalendar::previous_session(std::int64_t day) const {
  do --day;
  while (!is_session(day));
  return day;
}

std::int64_t ExchangeCalendar::session_on_or_after(std::int64_t day) const {
  return is_session(day) ? day : next_session(day);
}

Timestamp ExchangeCalendar::session_open(std::int64_t day) const {
  return zone_.to_utc(day * kNanosPerDay + open_minute_ * (60 * kNanosPerSecond));
}

Timestamp ExchangeCalendar::session_close(std::int64_t day) const {
  const Closing* c = closing(day);
  const int minute = c && !c->holiday ? c->close_minute : close_minute_;
  return zone_.to_utc(day * kNanosPerDay + minute * (60 * kNanosPerSecond));
}

bool ExchangeCalendar::in_session(Timestamp utc) const {
  const std::int64_t day = day_of(utc);
  return is_session(day) && utc >= session_open(day) && utc < session_close(day);
}

}  // namespace qtrader
