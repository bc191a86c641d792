#include "data/csv_fields.hpp"

#include <cmath>
#include <system_error>

#include <fast_float/fast_float.h>

namespace qtrader::data_detail {

NumberStatus parse_number_slow(std::string_view text, double& out) noexcept {
  text = trim(text);
  const char* first = text.data();
  const char* last = first + text.size();
  const auto result = fast_float::from_chars(first, last, out);
  if (result.ec != std::errc() || result.ptr != last || first == last)
    return NumberStatus::Unparsable;
  if (std::isnan(out)) return NumberStatus::NaN;
  if (std::isinf(out)) return NumberStatus::Infinite;
  return NumberStatus::Ok;
}

namespace {

bool two_digits(const char* p, int& out) noexcept {
  if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return false;
  out = (p[0] - '0') * 10 + (p[1] - '0');
  return true;
}

}  // namespace

std::optional<Timestamp> parse_time_of_day(std::string_view s) noexcept {
  int hh = 0, mm = 0, ss = 0;
  if (s.size() != 5 && s.size() != 8) return std::nullopt;
  if (!two_digits(s.data(), hh) || s[2] != ':' || !two_digits(s.data() + 3, mm)) return std::nullopt;
  if (s.size() == 8 && (s[5] != ':' || !two_digits(s.data() + 6, ss))) return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  return (hh * 3600LL + mm * 60LL + ss) * kNanosPerSecond;
}

}  // namespace qtrader::data_detail
