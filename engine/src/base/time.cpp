#include "qtrader/time.hpp"

#include <charconv>

#include <date/date.h>
#include <fmt/compile.h>
#include <fmt/format.h>

namespace qtrader {

namespace {

bool parse_fixed(std::string_view s, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return r.ec == std::errc();
}

}  // namespace

std::optional<Timestamp> parse_date(std::string_view s) noexcept {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!parse_fixed(s, 0, 4, y) || !parse_fixed(s, 5, 2, m) || !parse_fixed(s, 8, 2, d))
    return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month(static_cast<unsigned>(m)),
                                 date::day(static_cast<unsigned>(d))};
  // Nanosecond timestamps in an int64 span 1677-09-21 to 2262-04-11.
  if (!ymd.ok() || y < 1678 || y > 2261) return std::nullopt;
  const auto days = date::sys_days(ymd).time_since_epoch().count();
  return static_cast<Timestamp>(days) * kNanosPerDay;
}

std::optional<Timestamp> parse_timestamp(std::string_view s) noexcept {
  if (s.size() == 10) return parse_date(s);
  if (s.size() != 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  auto day = parse_date(s.substr(0, 10));
  int hh, mm, ss;
  if (!day || !parse_fixed(s, 11, 2, hh) || !parse_fixed(s, 14, 2, mm) ||
      !parse_fixed(s, 17, 2, ss) || hh > 23 || mm > 59 || ss > 59)
    return std::nullopt;
  return *day + (hh * 3600LL + mm * 60LL + ss) * kNanosPerSecond;
}

std::string format_date(Timestamp ts) {
  const auto days = date::floor<date::days>(std::chrono::sys_time<std::chrono::nanoseconds>(
      std::chrono::nanoseconds(ts)));
  const date::year_month_day ymd{days};
  return fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}"), static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::string format_timestamp(Timestamp ts) {
  Timestamp in_day = ts % kNanosPerDay;
  if (in_day < 0) in_day += kNanosPerDay;
  if (in_day == 0) return format_date(ts);
  const long long secs = in_day / kNanosPerSecond;
  return fmt::format(FMT_COMPILE("{} {:02}:{:02}:{:02}"), format_date(ts), secs / 3600, (secs / 60) % 60,
                     secs % 60);
}

}  // namespace qtrader
