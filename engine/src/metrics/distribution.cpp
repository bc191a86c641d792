// The distribution of daily returns, as empyrical and scipy compute it.
#include <algorithm>
#include <cmath>

#include "metrics/tearsheet.hpp"

namespace qtrader::metrics {

// numpy's default ("linear") percentile, with its two-sided lerp so that the
// value matches numpy's to the last bits.
double percentile(std::vector<double> x, double q) {
  if (x.empty()) return NAN;
  std::sort(x.begin(), x.end());
  const double index = q / 100.0 * static_cast<double>(x.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(index));
  const std::size_t above = std::min(below + 1, x.size() - 1);
  const double t = index - static_cast<double>(below);
  const double a = x[below], b = x[above], d = b - a;
  return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}

namespace {

// Biased central moments (divisor n), as scipy.stats.skew/kurtosis by default.
void moments(const std::vector<double>& r, Distribution& out) {
  const double n = static_cast<double>(r.size());
  const double m = mean(r);
  double m2 = 0.0, m3 = 0.0, m4 = 0.0;
  for (double v : r) {
    const double d = v - m;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (m2 > 0.0) {
    out.skew = m3 / std::pow(m2, 1.5);
    out.excess_kurtosis = m4 / (m2 * m2) - 3.0;  // Fisher: a normal law has 0
  }
}

// R² of the cumulative log return against the day number (empyrical's
// stability_of_timeseries): how steady the growth is.
double stability(const std::vector<double>& r) {
  if (r.size() < 2) return NAN;
  std::vector<double> y;
  y.reserve(r.size());
  double cum = 0.0;
  for (double v : r) y.push_back(cum += std::log1p(v));
  const double n = static_cast<double>(y.size());
  const double mx = (n - 1.0) / 2.0, my = mean(y);
  double sxx = 0.0, syy = 0.0, sxy = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double dx = static_cast<double>(i) - mx, dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (syy == 0.0) return NAN;
  const double rho = sxy / std::sqrt(sxx * syy);
  return rho * rho;
}

}  // namespace

Distribution distribution(const std::vector<double>& r, double rf_d) {
  Distribution out;
  if (r.empty()) return out;
  moments(r, out);
  out.best_day = *std::max_element(r.begin(), r.end());
  out.worst_day = *std::min_element(r.begin(), r.end());

  out.var_95 = percentile(r, 5.0);
  // empyrical's CVaR: the mean of the int((n - 1) * 5 %) + 1 lowest returns.
  std::vector<double> sorted = r;
  std::sort(sorted.begin(), sorted.end());
  const auto tail = static_cast<std::size_t>(static_cast<double>(r.size() - 1) * 0.05) + 1;
  double sum = 0.0;
  for (std::size_t i = 0; i < tail; ++i) sum += sorted[i];
  out.cvar_95 = sum / static_cast<double>(tail);

  const double p5 = std::abs(out.var_95), p95 = std::abs(percentile(r, 95.0));
  if (p5 > 0.0) out.tail_ratio = p95 / p5;

  double gains = 0.0, losses = 0.0;
  for (double v : r) {
    const double x = v - rf_d;
    if (x > 0.0) gains += x;
    if (x < 0.0) losses -= x;
  }
  if (losses > 0.0) out.omega = gains / losses;
  out.stability = stability(r);
  return out;
}

}  // namespace qtrader::metrics
