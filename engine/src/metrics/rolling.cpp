// Rolling Sharpe ratio and volatility: each window computed afresh (two-pass
// mean and deviation, as empyrical's rolling functions), not from running sums
// whose cancellation would cost digits on long runs.
#include <cmath>

#include "metrics/tearsheet.hpp"

namespace qtrader::metrics {

Rolling rolling(const std::vector<double>& r, std::size_t window, double rf_d,
                double periods_per_year) {
  Rolling out;
  out.sharpe.assign(r.size(), NAN);
  out.volatility.assign(r.size(), NAN);
  if (window < 2) return out;
  const double root_n = std::sqrt(periods_per_year);
  for (std::size_t end = window; end <= r.size(); ++end) {
    double sum = 0.0;
    for (std::size_t i = end - window; i < end; ++i) sum += r[i];
    const double m = sum / static_cast<double>(window);
    double ss = 0.0;
    for (std::size_t i = end - window; i < end; ++i) ss += (r[i] - m) * (r[i] - m);
    // r and r - rf_d have the same deviation.
    const double sd = std::sqrt(ss / static_cast<double>(window - 1));
    out.volatility[end - 1] = sd * root_n;
    if (sd > 0.0) out.sharpe[end - 1] = (m - rf_d) / sd * root_n;
  }
  return out;
}

}  // namespace qtrader::metrics
