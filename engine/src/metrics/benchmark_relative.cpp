// The portfolio against a benchmark: alpha, beta, tracking error, information
// ratio (empyrical's formulas), and the benchmark's own returns per day.
#include <cmath>

#include "metrics/tearsheet.hpp"

namespace qtrader::metrics {

std::vector<double> benchmark_returns(const std::vector<DayValue>& days,
                                      const std::vector<BenchmarkPrice>& prices) {
  std::vector<double> b;
  if (prices.empty()) return b;
  b.reserve(days.size());
  constexpr Timestamp kDay = 86'400'000'000'000LL;
  std::size_t k = 0;  // prices[k] is the last price at or before the current day's end
  double previous = NAN;
  for (const auto& d : days) {
    while (k + 1 < prices.size() && prices[k + 1].ts < d.day + kDay) ++k;
    const double p = prices[k].price;
    b.push_back(std::isnan(previous) ? 0.0 : p / previous - 1.0);
    previous = p;
  }
  return b;
}

namespace {

double cumulative(const std::vector<double>& r) {
  double g = 1.0;
  for (double v : r) g *= 1.0 + v;
  return g - 1.0;
}

// The deepest fall of the growth of 1 below its running peak (which starts at 1).
double deepest(const std::vector<double>& r) {
  double g = 1.0, peak = 1.0, worst = 0.0;
  for (double v : r) {
    g *= 1.0 + v;
    peak = std::max(peak, g);
    worst = std::min(worst, g / peak - 1.0);
  }
  return worst;
}

}  // namespace

BenchmarkMetrics benchmark_relative(const std::vector<double>& r, const std::vector<double>& b,
                                    double rf_d, double periods_per_year) {
  BenchmarkMetrics m;
  if (b.empty() || b.size() != r.size()) return m;
  m.present = true;
  const double root_n = std::sqrt(periods_per_year);
  std::vector<double> xb, active;
  xb.reserve(b.size());
  active.reserve(b.size());
  for (std::size_t i = 0; i < b.size(); ++i) {
    xb.push_back(b[i] - rf_d);
    active.push_back(r[i] - b[i]);
  }
  m.total_return = cumulative(b);
  m.annual_volatility = sample_stdev(b) * root_n;
  const double sd_b = sample_stdev(xb);
  if (sd_b > 0.0) m.sharpe = mean(xb) / sd_b * root_n;
  m.max_drawdown = deepest(b);

  // Beta = cov(x, xb) / var(xb), each a mean over n (the divisors cancel).
  const double mx = mean(r) - rf_d, mb = mean(xb);
  double cov = 0.0, var_b = 0.0, var_x = 0.0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const double dx = r[i] - rf_d - mx, db = xb[i] - mb;
    cov += dx * db;
    var_b += db * db;
    var_x += dx * dx;
  }
  const double n = static_cast<double>(r.size());
  // empyrical treats a variance below 1e-30 as none (a flat benchmark).
  if (var_b / n >= 1e-30) {
    m.beta = cov / var_b;
    double a = 0.0;
    for (std::size_t i = 0; i < r.size(); ++i) a += (r[i] - rf_d) - m.beta * xb[i];
    m.alpha = a / n;
    m.alpha_annual = std::pow(1.0 + m.alpha, periods_per_year) - 1.0;
    if (var_x > 0.0) m.correlation = cov / std::sqrt(var_b * var_x);
  }

  const double te = sample_stdev(active);
  m.tracking_error = te * root_n;
  if (te > 0.0) {
    m.information_ratio_daily = mean(active) / te;
    m.information_ratio = m.information_ratio_daily * root_n;
  }
  return m;
}

}  // namespace qtrader::metrics
