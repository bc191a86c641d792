// Puts the tearsheet families together over one run's day-end series.
#include <cmath>

#include "metrics/tearsheet.hpp"
#include "qtrader/time.hpp"

namespace qtrader::metrics {

void add_tearsheet(const RunFiles& run, const MetricsOptions& options, Metrics& m) {
  const auto days = day_end_equity(run.equity, run.day_zone);
  if (days.empty()) return;
  const double n = options.periods_per_year;
  const double rf_d = std::pow(1.0 + options.risk_free_rate, 1.0 / n) - 1.0;
  const auto r = daily_returns(run.initial_equity, days);

  m.portfolio.distribution = distribution(r, rf_d);
  const auto b = benchmark_returns(days, run.benchmark);
  m.benchmark = benchmark_relative(r, b, rf_d, n);
  m.worst_drawdowns = worst_drawdowns(run.initial_equity, days, 5);

  // Six and twelve months of trading days.
  const Rolling half = rolling(r, 126, rf_d, n), year = rolling(r, 252, rf_d, n);
  const auto dd = drawdown_series(run.initial_equity, days);
  const auto exposure = net_exposure(run.equity, run.day_zone);
  m.daily.reserve(days.size());
  for (std::size_t i = 0; i < days.size(); ++i)
    m.daily.push_back({format_date(days[i].day), days[i].equity, r[i], b.empty() ? NAN : b[i],
                       dd[i], exposure[i], half.sharpe[i], half.volatility[i], year.sharpe[i],
                       year.volatility[i]});
}

}  // namespace qtrader::metrics
