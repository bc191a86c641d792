#include "fix/fix_time.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <chrono>

namespace qtrader::fix {

namespace {

struct Civil {
  date::year_month_day day;
  long long nanos_of_day;
};

Civil civil(Timestamp ts) {
  const auto t = date::sys_time<std::chrono::nanoseconds>(std::chrono::nanoseconds(ts));
  const auto day = date::floor<date::days>(t);
  return {date::year_month_day(day), (t - day).count()};
}

std::optional<int> digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::optional<Timestamp> parse_date(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  const auto y = digits(s, 0, 4), m = digits(s, 4, 2), d = digits(s, 6, 2);
  if (!y || !m || !d) return std::nullopt;
  const date::year_month_day ymd{date::year(*y), date::month(static_cast<unsigned>(*m)),
                                 date::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(date::sys_days(ymd).time_since_epoch()).count();
}

// HH:MM:SS[.f{1,9}] -> ns of the day.
std::optional<Timestamp> parse_time(std::string_view s) {
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
  const auto h = digits(s, 0, 2), m = digits(s, 3, 2), sec = digits(s, 6, 2);
  if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60) return std::nullopt;
  Timestamp ns = (*h * 3600LL + *m * 60LL + *sec) * kNanosPerSecond;
  if (s.size() > 8) {
    if (s[8] != '.' || s.size() == 9 || s.size() > 18) return std::nullopt;
    Timestamp fraction = 0, scale = kNanosPerSecond;
    for (std::size_t i = 9; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      scale /= 10;
      fraction += (s[i] - '0') * scale;
    }
    ns += fraction;
  }
  return ns;
}

}  // namespace

std::string fix_date(Timestamp ts) {
  const auto c = civil(ts);
  return fmt::format("{:04}{:02}{:02}", static_cast<int>(c.day.year()), static_cast<unsigned>(c.day.month()),
                     static_cast<unsigned>(c.day.day()));
}

std::string fix_time_of_day(Timestamp ts) {
  const long long n = civil(ts).nanos_of_day;
  const long long s = n / kNanosPerSecond;
  return fmt::format("{:02}:{:02}:{:02}.{:03}", s / 3600, s / 60 % 60, s % 60, n % kNanosPerSecond / 1'000'000);
}

std::string fix_timestamp(Timestamp ts) { return fix_date(ts) + "-" + fix_time_of_day(ts); }

std::optional<Timestamp> parse_fix_timestamp(std::string_view text) noexcept {
  if (text.size() < 17 || text[8] != '-') return std::nullopt;
  return parse_fix_date_time(text.substr(0, 8), text.substr(9));
}

std::optional<Timestamp> parse_fix_date_time(std::string_view date, std::string_view time) noexcept {
  const auto day = parse_date(date);
  const auto of_day = parse_time(time);
  if (!day || !of_day) return std::nullopt;
  return *day + *of_day;
}

}  // namespace qtrader::fix
