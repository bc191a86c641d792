#include "report/histogram.hpp"

#include <algorithm>
#include <cmath>

#include "report/compact_json.hpp"

namespace qtrader::report {

namespace {
// numpy's default percentile (linear between order statistics) of sorted x.
double sorted_percentile(const std::vector<double>& x, double q) {
  const double at = q / 100.0 * static_cast<double>(x.size() - 1);
  const auto i = static_cast<std::size_t>(at);
  if (i + 1 >= x.size()) return x.back();
  return x[i] + (x[i + 1] - x[i]) * (at - static_cast<double>(i));
}
}  // namespace

nlohmann::ordered_json histogram(std::vector<double> values, std::size_t bins) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
               values.end());
  if (values.empty() || bins == 0) return nullptr;
  std::sort(values.begin(), values.end());
  double lo = sorted_percentile(values, 1.0), hi = sorted_percentile(values, 99.0);
  if (!(hi > lo)) {  // (nearly) all values equal: one bin around them
    lo = values.front();
    hi = values.back();
  }
  if (!(hi > lo)) {  // every value the same: one bin holds them all
    hi = lo + (lo != 0.0 ? std::abs(lo) * 1e-3 : 1e-9);
    bins = 1;
  }
  const double width = (hi - lo) / static_cast<double>(bins);
  std::vector<std::size_t> counts(bins, 0);
  std::size_t below = 0, above = 0;
  for (double v : values) {
    if (v < lo) ++below;
    if (v > hi) ++above;
    const double at = std::floor((v - lo) / width);
    const auto k = static_cast<std::size_t>(std::clamp(at, 0.0, static_cast<double>(bins - 1)));
    ++counts[k];
  }
  return nlohmann::ordered_json{{"lo", compact_number(lo)},       {"width", compact_number(width)},
                                {"counts", counts},               {"n", values.size()},
                                {"clipped_low", below},           {"clipped_high", above}};
}

}  // namespace qtrader::report
