// Tearsheet metrics (docs/metrics.md, "Tearsheet"): pure functions over daily
// returns, day-end equity and a benchmark's prices, one family per file, so
// each is testable without a run. Conventions follow empyrical/quantstats
// unless docs/metrics.md says otherwise.
#pragma once

#include "qtrader/time_zone.hpp"

#include <cstddef>
#include <vector>

#include "metrics/calculations.hpp"
#include "qtrader/results.hpp"

namespace qtrader::metrics {

// distribution.cpp: skew, kurtosis, best/worst day, VaR/CVaR, tail ratio,
// omega and stability of the returns `r` (rf_d: per-period risk-free rate).
Distribution distribution(const std::vector<double>& r, double rf_d);

// numpy.percentile(x, q) with its default linear interpolation; q in [0, 100].
double percentile(std::vector<double> x, double q);

// benchmark_relative.cpp: benchmark prices as of each day-end: the last price
// at or before the day's end (a day before the first price takes the first
// price, so the benchmark is flat there). Returns b_i = P_i / P_{i-1} - 1 with
// b_1 = 0: buy-and-hold from the close of the run's first day.
std::vector<double> benchmark_returns(const std::vector<DayValue>& days,
                                      const std::vector<BenchmarkPrice>& prices);

// Alpha, beta, tracking error, information ratio ... of r against b (same length).
BenchmarkMetrics benchmark_relative(const std::vector<double>& r, const std::vector<double>& b,
                                    double rf_d, double periods_per_year);

// drawdown_table.cpp: every drawdown of the day-end equity below its running
// peak (which starts at `initial`), deepest first, at most `count`.
std::vector<DrawdownPeriod> worst_drawdowns(double initial, const std::vector<DayValue>& days,
                                            std::size_t count);

// rolling.cpp: Sharpe (of r - rf_d) and annual volatility over the `window`
// returns ending at each day; NaN until a window is full.
struct Rolling {
  std::vector<double> sharpe, volatility;
};
Rolling rolling(const std::vector<double>& r, std::size_t window, double rf_d,
                double periods_per_year);

// exposure_series.cpp: net exposure (equity - cash) / equity at each day's end.
std::vector<double> net_exposure(const std::vector<EquityRow>& equity, const TimeZone& day_zone);

}  // namespace qtrader::metrics

namespace qtrader::metrics {

// tearsheet.cpp: fills m.portfolio.distribution, m.benchmark,
// m.worst_drawdowns and m.daily from the run's files.
void add_tearsheet(const RunFiles& run, const MetricsOptions& options, Metrics& m);

}  // namespace qtrader::metrics
