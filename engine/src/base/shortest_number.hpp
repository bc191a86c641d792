// A double in the shortest form that reads back to it, byte for byte what
// fmt's "{}" prints (the results files' number form), written straight into
// a char buffer. Whole numbers below 1e15 (quantities, most prices in cents
// times a lot) skip the shortest-digits search: fmt prints them without a
// decimal point or exponent, so their integer digits are the same bytes.
#pragma once

#include <cmath>
#include <cstdint>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace qtrader {

// Room one number may take: sign, 17 digits, point, exponent.
inline constexpr int kShortestNumberMax = 32;

// Writes `v` at `out` (which has kShortestNumberMax bytes free) and returns the end.
inline char* write_shortest(char* out, double v) {
  // -0.0 prints "-0" and stays on fmt's path; so do NaN and infinities.
  if (v == std::trunc(v) && std::fabs(v) < 1e15 && (v != 0.0 || !std::signbit(v))) {
    const fmt::format_int digits(static_cast<std::int64_t>(v));
    const char* d = digits.data();
    for (std::size_t i = 0; i < digits.size(); ++i) *out++ = d[i];
    return out;
  }
  return fmt::format_to(out, FMT_COMPILE("{}"), v);
}

}  // namespace qtrader
