// An exchange's trading calendar: which local days are sessions, when each
// session opens and closes (UTC instants), which close early. Built from a
// calendar file of closings and early closes (data/calendars/XNYS.csv) and the
// exchange's regular hours. Days are the exchange's local days, counted as
// days since 1970-01-01 (TimeZone::local_day).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/time_zone.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

// A calendar the engine knows by name: its zone, regular hours and file.
struct CalendarSpec {
  const char* name;       // "XNYS"
  const char* zone;       // IANA zone of the exchange
  int open_minute;        // regular open, minutes after local midnight
  int close_minute;       // regular close
  const char* file;       // under the data folder's calendars/
};
// The spec of `name`, nullptr for a name the engine does not know.
const CalendarSpec* find_calendar_spec(std::string_view name) noexcept;
// "XNYS" (comma-separated), for error messages.
std::string known_calendar_names();

class ExchangeCalendar {
 public:
  // Reads `path` (date,kind,close_time,name; '#' lines are comments). Throws
  // DataError naming the file and line of a malformed row.
  static ExchangeCalendar load(const CalendarSpec& spec, const std::string& path);
  // The built-in calendar `name` from `data_dir`/calendars/ (the repository's
  // data folder). Throws std::invalid_argument for an unknown name.
  static ExchangeCalendar load_builtin(std::string_view name, const std::string& data_dir);

  const std::string& name() const noexcept { return name_; }
  const TimeZone& zone() const noexcept { return zone_; }
  // The years the file covers; outside them every weekday is a regular session.
  int first_year() const noexcept { return first_year_; }
  int last_year() const noexcept { return last_year_; }

  bool is_session(std::int64_t day) const;
  bool is_early_close(std::int64_t day) const;
  // The first session strictly after / before `day` (which need not be one).
  std::int64_t next_session(std::int64_t day) const;
  std::int64_t previous_session(std::int64_t day) const;
  // The session on or after `day`.
  std::int64_t session_on_or_after(std::int64_t day) const;
  // Open and close of session `day` as UTC instants (the regular hours, the
  // early close where the file has one). `day` must be a session.
  Timestamp session_open(std::int64_t day) const;
  Timestamp session_close(std::int64_t day) const;
  // The exchange's local day of a UTC instant.
  std::int64_t day_of(Timestamp utc) const { return zone_.local_day(utc); }
  // True when `utc` is inside a session: open <= utc < close.
  bool in_session(Timestamp utc) const;

 private:
  struct Closing {
    bool holiday = false;
    int close_minute = 0;  // early close
  };
  const Closing* closing(std::int64_t day) const;

  std::string name_;
  TimeZone zone_;
  int open_minute_ = 0, close_minute_ = 0;
  int first_year_ = 0, last_year_ = -1;
  std::map<std::int64_t, Closing> closings_;  // by local day
};

}  // namespace qtrader
