#include "qtrader/timestamp_format.hpp"

#include <fmt/format.h>

#include "qtrader/time.hpp"

namespace qtrader {

const char* TimestampFormat::name() const noexcept {
  switch (form_) {
    case Form::Dates: return "dates";
    case Form::Instants: return "instants";
    case Form::Legacy: break;
  }
  return "legacy";
}

std::string TimestampFormat::operator()(Timestamp ts) const {
  switch (form_) {
    case Form::Dates: return format_date(zone_.to_local(ts));
    case Form::Instants: return format_utc_instant(ts);
    case Form::Legacy: break;
  }
  return format_timestamp(ts);
}

std::string format_utc_instant(Timestamp ts) {
  Timestamp in_day = ts % kNanosPerDay;
  if (in_day < 0) in_day += kNanosPerDay;
  const long long secs = in_day / kNanosPerSecond;
  std::string out = fmt::format("{}T{:02}:{:02}:{:02}", format_date(ts), secs / 3600, (secs / 60) % 60, secs % 60);
  if (const long long frac = in_day % kNanosPerSecond) {
    std::string digits = fmt::format("{:09}", frac);
    while (digits.back() == '0') digits.pop_back();
    out += '.' + digits;
  }
  out += 'Z';
  return out;
}

std::optional<Timestamp> parse_run_timestamp(std::string_view s) noexcept {
  if (s.empty() || s.back() != 'Z') return parse_timestamp(s);
  s.remove_suffix(1);
  Timestamp frac = 0;
  if (s.size() > 19 && s[19] == '.') {
    const std::string_view digits = s.substr(20);
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    Timestamp scale = kNanosPerSecond;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      scale /= 10;
      frac += (c - '0') * scale;
    }
    s = s.substr(0, 19);
  }
  if (s.size() != 19 || s[10] != 'T') return std::nullopt;
  const auto ts = parse_timestamp(s);
  if (!ts) return std::nullopt;
  return *ts + frac;
}

}  // namespace qtrader
