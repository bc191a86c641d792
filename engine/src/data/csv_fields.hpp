// Allocation-free pieces of a CSV row: field splitting and value parsing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "qtrader/types.hpp"

namespace qtrader::data_detail {

// What split_fields returns when a field starts with the quote character:
// the caller then splits the row with split_quoted_fields (csv_dialect.hpp).
inline constexpr std::size_t kQuotedRow = static_cast<std::size_t>(-1);

// Splits `line` at `delimiter` into `fields` (capacity `capacity`) and returns
// how many fields the line has, which may exceed `capacity` (extra ones are
// not stored); kQuotedRow when a field starts with `quote` ('\0': no quoting).
inline std::size_t split_fields(std::string_view line, std::string_view* fields,
                                std::size_t capacity, char delimiter = ',',
                                char quote = '\0') noexcept {
  // A plain scan: fields are a few bytes long, too short for memchr to pay off.
  std::size_t count = 0;
  const char* field_start = line.data();
  const char* const end = field_start + line.size();
  if (quote != '\0' && field_start != end && *field_start == quote) return kQuotedRow;
  for (const char* p = field_start; p != end; ++p) {
    if (*p != delimiter) continue;
    if (count < capacity) fields[count] = std::string_view(field_start, static_cast<std::size_t>(p - field_start));
    ++count;
    field_start = p + 1;
    // Quotes are rare: one well-predicted compare per field keeps them off the common path.
    if (quote != '\0' && field_start != end && *field_start == quote) return kQuotedRow;
  }
  if (count < capacity) fields[count] = std::string_view(field_start, static_cast<std::size_t>(end - field_start));
  return count + 1;
}

// Spaces and tabs around a field are tolerated.
inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class NumberStatus { Ok, Unparsable, NaN, Infinite };

// fast_float, on the trimmed text, for what the fast path below does not
// take; "nan"/"inf" are reported apart so the error can say what is wrong.
NumberStatus parse_number_slow(std::string_view text, double& out) noexcept;

// The whole field must be a number. Prices in market data are short decimals
// ("2.179012"): with at most 15 significant digits the digits form an integer
// below 2^53 and 10^fraction_digits is exact, so one IEEE division gives the
// correctly rounded value, the same double fast_float (or strtod) returns.
inline NumberStatus parse_number(std::string_view text, double& out) noexcept {
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  std::uint64_t digits_value = 0;
  int digits = 0, fraction_digits = 0;
  for (; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p, ++digits)
    digits_value = digits_value * 10 + static_cast<unsigned>(*p - '0');
  if (p != end && *p == '.') {
    for (++p; p != end && static_cast<unsigned char>(*p - '0') < 10; ++p, ++digits, ++fraction_digits)
      digits_value = digits_value * 10 + static_cast<unsigned>(*p - '0');
  }
  if (p != end || digits == 0 || digits > 15) return parse_number_slow(text, out);
  static constexpr double kPowersOfTen[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                              1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  double value = static_cast<double>(digits_value);
  if (fraction_digits > 0) value /= kPowersOfTen[fraction_digits];
  out = negative ? -value : value;
  return NumberStatus::Ok;
}

// "HH:MM:SS" or "HH:MM" as nanoseconds since midnight.
std::optional<Timestamp> parse_time_of_day(std::string_view text) noexcept;

}  // namespace qtrader::data_detail
