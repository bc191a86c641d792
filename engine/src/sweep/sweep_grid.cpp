// The grid of a sweep: --param flags parsed into axes, and points by index.
#include <cstdint>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "qtrader/sweep.hpp"

namespace qtrader {

namespace {

constexpr std::size_t kMaxAxisValues = 100000;
constexpr int kMaxDecimals = 9;

// A decimal written as [sign]digits[.digits], as an integer scaled by 10^decimals.
struct Decimal {
  std::int64_t scaled = 0;
  int decimals = 0;
};

std::optional<Decimal> parse_decimal(const std::string& s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  Decimal d;
  bool digits = false, point = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (d.scaled > (std::numeric_limits<std::int64_t>::max() / 10 - 9) / 1000) return std::nullopt;
    d.scaled = d.scaled * 10 + (c - '0');
    digits = true;
    if (point && ++d.decimals > kMaxDecimals) return std::nullopt;
  }
  if (!digits) return std::nullopt;
  if (negative) d.scaled = -d.scaled;
  return d;
}

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// `scaled` / 10^decimals with exactly `decimals` digits after the point.
std::string format_scaled(std::int64_t scaled, int decimals) {
  if (decimals == 0) return fmt::format("{}", scaled);
  const std::int64_t p = pow10(decimals);
  const std::int64_t magnitude = scaled < 0 ? -scaled : scaled;
  return fmt::format("{}{}.{:0{}}", scaled < 0 ? "-" : "", magnitude / p, magnitude % p, decimals);
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

SweepAxis parse_sweep_axis(const std::string& flag) {
  const auto fail = [&](const std::string& reason) -> SweepAxis {
    throw SweepError(fmt::format("--param {}: {}", flag, reason));
  };
  const auto eq = flag.find('=');
  if (eq == std::string::npos) return fail("expected NAME=A:B:STEP or NAME=V1,V2,...");
  SweepAxis axis;
  axis.name = trim(flag.substr(0, eq));
  const std::string spec = trim(flag.substr(eq + 1));
  if (axis.name.empty()) return fail("no param name before '='");
  if (spec.empty()) return fail("no values after '='");

  if (spec.find(':') != std::string::npos) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t colon; (colon = spec.find(':', start)) != std::string::npos; start = colon + 1)
      parts.push_back(trim(spec.substr(start, colon - start)));
    parts.push_back(trim(spec.substr(start)));
    if (parts.size() != 3) return fail("a range is A:B:STEP (three numbers)");
    std::optional<Decimal> a = parse_decimal(parts[0]), b = parse_decimal(parts[1]),
                           step = parse_decimal(parts[2]);
    if (!a || !b || !step)
      return fail(fmt::format("range bounds and step must be decimal numbers (at most {} decimals)",
                              kMaxDecimals));
    // Exact arithmetic on integers scaled to the most decimals given: the
    // i-th value is A + i*STEP, never a running sum.
    const int decimals = std::max({a->decimals, b->decimals, step->decimals});
    const std::int64_t first = a->scaled * pow10(decimals - a->decimals);
    const std::int64_t last = b->scaled * pow10(decimals - b->decimals);
    const std::int64_t by = step->scaled * pow10(decimals - step->decimals);
    if (by <= 0) return fail("the step must be positive");
    if (last < first) return fail("the range's end is below its start");
    const std::int64_t count = (last - first) / by + 1;
    if (count > static_cast<std::int64_t>(kMaxAxisValues))
      return fail(fmt::format("more than {} values", kMaxAxisValues));
    // Decimals shown: as many as the start or the step has (0.5:2:0.5 -> 0.5, 1.0, ...).
    const int shown = std::max(a->decimals, step->decimals);
    for (std::int64_t i = 0; i < count; ++i)
      axis.values.push_back(
          format_scaled((first + i * by) / pow10(decimals - shown), shown));
    return axis;
  }

  std::size_t start = 0;
  for (;;) {
    const auto comma = spec.find(',', start);
    const std::string v = trim(spec.substr(start, comma == std::string::npos ? comma : comma - start));
    if (v.empty()) return fail("an empty value in the list");
    axis.values.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (axis.values.size() > kMaxAxisValues) return fail(fmt::format("more than {} values", kMaxAxisValues));
  return axis;
}

std::size_t grid_size(const std::vector<SweepAxis>& axes) {
  if (axes.empty()) return 0;
  std::size_t n = 1;
  for (const auto& a : axes) {
    if (a.values.empty()) return 0;
    if (n > std::numeric_limits<std::size_t>::max() / a.values.size())
      throw SweepError("the grid is too large");
    n *= a.values.size();
  }
  return n;
}

std::vector<std::string> grid_values(const std::vector<SweepAxis>& axes, std::size_t point) {
  std::vector<std::string> out(axes.size());
  for (std::size_t i = axes.size(); i-- > 0;) {
    const auto n = axes[i].values.size();
    out[i] = axes[i].values[point % n];
    point /= n;
  }
  return out;
}

std::vector<ParamOverride> grid_overrides(const std::vector<SweepAxis>& axes, std::size_t point) {
  const auto values = grid_values(axes, point);
  std::vector<ParamOverride> out;
  for (std::size_t i = 0; i < axes.size(); ++i) out.push_back({axes[i].name, values[i]});
  return out;
}

RunOptions point_run_options(const std::vector<SweepAxis>& axes, std::size_t point, const std::string& dir,
                             Timestamp start_date, Timestamp end_date) {
  RunOptions run;
  run.results_dir = dir;
  run.params = grid_overrides(axes, point);
  run.quiet = true;
  run.report = false;
  run.memory_event_store = true;
  run.start_date = start_date;
  run.end_date = end_date;
  return run;
}

std::string grid_text(const std::vector<SweepAxis>& axes) {
  std::string out;
  for (const auto& a : axes) {
    out += (out.empty() ? "" : " ") + a.name + "=";
    for (std::size_t i = 0; i < a.values.size(); ++i) out += (i ? "," : "") + a.values[i];
  }
  return out;
}

}  // namespace qtrader
