// Assembles the metrics of a results folder (formulas: docs/metrics.md).
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <unordered_map>

#include "metrics/calculations.hpp"
#include "metrics/tearsheet.hpp"
#include "qtrader/results.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDaysPerYear = 365.25;

void add_return_metrics(const metrics::RunFiles& run, const MetricsOptions& options,
                        PortfolioMetrics& p) {
  const auto days = metrics::day_end_equity(run.equity, run.day_zone);
  p.days = days.size();
  p.initial_equity = run.initial_equity;
  p.total_return = p.cagr = p.annual_volatility = p.sharpe = p.sortino = p.calmar = kNaN;
  p.years = kNaN;
  if (run.equity.empty()) return;

  p.start = format_timestamp(run.equity.front().ts);
  p.end = format_timestamp(run.equity.back().ts);
  p.final_equity = run.equity.back().equity;
  p.total_return = p.final_equity / p.initial_equity - 1.0;
  p.years = static_cast<double>(run.equity.back().ts - run.equity.front().ts) /
            metrics::kNsPerDay / kDaysPerYear;
  if (p.years > 0.0) p.cagr = std::pow(1.0 + p.total_return, 1.0 / p.years) - 1.0;

  const double n = options.periods_per_year;
  const auto returns = metrics::daily_returns(p.initial_equity, days);
  p.annual_volatility = metrics::sample_stdev(returns) * std::sqrt(n);

  // The annual risk-free rate, compounded down to one period.
  const double rf = std::pow(1.0 + options.risk_free_rate, 1.0 / n) - 1.0;
  std::vector<double> excess;
  excess.reserve(returns.size());
  double downside_ss = 0.0;
  for (double r : returns) {
    excess.push_back(r - rf);
    if (r - rf < 0.0) downside_ss += (r - rf) * (r - rf);
  }
  const double mean_excess = metrics::mean(excess);
  const double sd = metrics::sample_stdev(excess);
  if (sd > 0.0) p.sharpe = mean_excess / sd * std::sqrt(n);
  const double downside = returns.empty() ? kNaN
                                          : std::sqrt(downside_ss / static_cast<double>(returns.size()));
  if (downside > 0.0) p.sortino = mean_excess / downside * std::sqrt(n);

  p.max_drawdown = metrics::max_drawdown(p.initial_equity, run.equity);
  if (p.max_drawdown.depth < 0.0) p.calmar = p.cagr / std::abs(p.max_drawdown.depth);
}

TradeStats group_stats(const metrics::RunFiles& run, const metrics::Group& group, double years) {
  TradeStats s;
  metrics::add_trade_stats(run.trades, group, s);
  metrics::add_position_stats(run, group, years, s);
  return s;
}

// A group's own trades and fills, in the run's order.
struct GroupRows {
  std::vector<std::reference_wrapper<const metrics::TradeRow>> trades;
  std::vector<std::reference_wrapper<const metrics::FillRow>> fills;
};

// The stats of every strategy or every symbol from one pass over the rows:
// scanning all rows per group made a 1000-symbol run's metrics quadratic.
std::map<std::string, TradeStats> stats_by(const metrics::RunFiles& run, metrics::Group::By by,
                                           double years) {
  const bool strategy = by == metrics::Group::By::Strategy;
  std::unordered_map<std::string, GroupRows> rows;
  // Consecutive rows mostly share a group: look the map up only on a change.
  GroupRows* last = nullptr;
  const std::string* last_name = nullptr;
  auto group_of = [&](const std::string& name) -> GroupRows& {
    if (!last || *last_name != name) {
      auto it = rows.try_emplace(name).first;
      last = &it->second;
      last_name = &it->first;
    }
    return *last;
  };
  for (const auto& t : run.trades) group_of(strategy ? t.strategy : t.symbol).trades.emplace_back(t);
  last = nullptr;
  for (const auto& f : run.fills) group_of(strategy ? f.strategy : f.symbol).fills.emplace_back(f);
  std::map<std::string, TradeStats> out;
  for (const auto& [name, r] : rows) {
    const metrics::Group group{by, name};
    TradeStats& s = out[name];
    metrics::add_trade_stats(r.trades, group, s);
    metrics::add_position_stats(run.equity, r.fills, group, years, s);
  }
  return out;
}

}  // namespace

Metrics compute_metrics(const std::string& results_dir, const MetricsOptions& options) {
  return metrics::compute_metrics(metrics::read_run_files(results_dir), options);
}

Metrics metrics::compute_metrics(const metrics::RunFiles& run, const MetricsOptions& options) {
  Metrics m;
  m.options = options;
  add_return_metrics(run, options, m.portfolio);
  const double years = m.portfolio.years;

  m.trades = group_stats(run, {metrics::Group::By::Portfolio, {}}, years);
  m.by_strategy = stats_by(run, metrics::Group::By::Strategy, years);
  m.by_symbol = stats_by(run, metrics::Group::By::Symbol, years);

  const auto days = metrics::day_end_equity(run.equity, run.day_zone);
  m.monthly_returns = metrics::period_returns(run.initial_equity, days, true);
  m.yearly_returns = metrics::period_returns(run.initial_equity, days, false);
  metrics::add_tearsheet(run, options, m);
  return m;
}

}  // namespace qtrader
