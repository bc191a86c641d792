// Numbers for the report's data block, kept short: a double printed with 17
// digits (23.450000000000003) is most of the bytes of a big run's report.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace qtrader::report {

// `v` rounded to `digits` significant digits (null when not finite). The page
// shows at most 6 decimals and money to the cent, so 10 digits lose nothing a
// reader sees; nlohmann then prints the shortest text of the rounded value.
inline nlohmann::ordered_json compact_number(double v, int digits = 10) {
  if (!std::isfinite(v)) return nullptr;
  char text[40];
  std::snprintf(text, sizeof text, "%.*g", digits, v);
  return std::strtod(text, nullptr);
}

}  // namespace qtrader::report
