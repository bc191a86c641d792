// Numbers for the report's data block, kept short: a double printed with 17
// digits (23.450000000000003) is most of the bytes of a big run's report.
#pragma once

#include <cmath>
#include <charconv>
#include <cstdlib>

#include <fmt/compile.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace qtrader::report {

// `v` rounded to `digits` significant digits (null when not finite). The page
// shows at most 6 decimals and money to the cent, so 10 digits lose nothing a
// reader sees; nlohmann then prints the shortest text of the rounded value.
inline nlohmann::ordered_json compact_number(double v, int digits = 10) {
  if (!std::isfinite(v)) return nullptr;
  char text[40];
  // Most values (quantities, cents) are short already: when the shortest text
  // that reads back as `v` has at most `digits` significant digits (a grid
  // far coarser than v's rounding interval), rounding gives `v` itself.
  const auto end = std::to_chars(text, text + sizeof text, v).ptr;
  int significant = 0;
  for (const char* c = text; c != end && *c != 'e'; ++c)
    if (*c >= '1' && *c <= '9') ++significant;
    else if (*c == '0' && significant > 0) ++significant;
  if (significant <= digits) return v;
  // fmt rounds exactly as printf's %.*g (ties to even), several times faster;
  // the page's two precisions have compiled formats (parsing the format
  // string was half the cost of this call on the benchmark report).
  const auto rounded_end =
      digits == 10  ? fmt::format_to_n(text, sizeof text, FMT_COMPILE("{:.10g}"), v).out
      : digits == 6 ? fmt::format_to_n(text, sizeof text, FMT_COMPILE("{:.6g}"), v).out
                    : fmt::format_to_n(text, sizeof text, "{:.{}g}", v, digits).out;
  double rounded = 0.0;
  std::from_chars(text, rounded_end, rounded);
  return rounded;
}

}  // namespace qtrader::report
