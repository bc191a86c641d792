// The metric formulas of docs/metrics.md, each on plain rows so that each can
// be tested on its own.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "metrics/run_files.hpp"
#include "qtrader/results.hpp"

namespace qtrader::metrics {

inline constexpr double kNsPerDay = 86'400e9;

struct DayValue {
  Timestamp day;  // the (exchange's local) date, as its midnight UTC
  double equity;  // the day's last equity value
  Timestamp last = 0;  // when that value was written (a session's end)
};

// The equity at the end of each calendar day, in order. Days are the local
// days of `days_in` (RunFiles::day_zone: the exchange's zone for a run that
// wrote instants, UTC for dates, which are local dates already).
std::vector<DayValue> day_end_equity(const std::vector<EquityRow>& equity,
                                     const TimeZone& days_in = {});

// r_i = V_i / V_{i-1} - 1 over [initial, day_end...]: one return per day.
std::vector<double> daily_returns(double initial, const std::vector<DayValue>& days);

// Month ("YYYY-MM") or year ("YYYY") returns: period-end equity over the
// previous period-end (the first period over `initial`).
std::vector<PeriodReturn> period_returns(double initial, const std::vector<DayValue>& days,
                                        bool monthly);

// Deepest fall of the equity rows below their running peak; the peak starts at
// `initial`, dated at the first row.
Drawdown max_drawdown(double initial, const std::vector<EquityRow>& equity);

// Drawdown of each day-end value below the running peak (<= 0), for charts.
std::vector<double> drawdown_series(double initial, const std::vector<DayValue>& days);

double sample_stdev(const std::vector<double>& x);  // n - 1 in the denominator; NaN for n < 2
double mean(const std::vector<double>& x);          // NaN when empty

// Which rows a group takes from the run.
struct Group {
  enum class By { Portfolio, Strategy, Symbol } by = By::Portfolio;
  std::string name;
  bool has(const std::string& strategy, const std::string& symbol) const {
    return by == By::Portfolio || (by == By::Strategy ? strategy : symbol) == name;
  }
};

// compute_metrics on a run's rows already read (the report reads them once
// for both the metrics and the page).
Metrics compute_metrics(const RunFiles& run, const MetricsOptions& options);

// Win rate ... average holding time from the group's closed trades. The
// reference forms take a group's rows without copying them (compute_metrics
// partitions a run's rows into a thousand symbols).
void add_trade_stats(const std::vector<TradeRow>& trades, const Group& group, TradeStats& out);
void add_trade_stats(const std::vector<std::reference_wrapper<const TradeRow>>& trades,
                     const Group& group, TradeStats& out);

// Exposure and turnover from the group's fills over the run's timestamps.
// `fills` (in time order) may be the run's or only the group's: a caller with
// many groups partitions them once instead of scanning every fill per group.
void add_position_stats(const std::vector<EquityRow>& equity, const std::vector<FillRow>& fills,
                        const Group& group, double years, TradeStats& out);
void add_position_stats(const std::vector<EquityRow>& equity,
                        const std::vector<std::reference_wrapper<const FillRow>>& fills,
                        const Group& group, double years, TradeStats& out);
inline void add_position_stats(const RunFiles& run, const Group& group, double years,
                               TradeStats& out) {
  add_position_stats(run.equity, run.fills, group, years, out);
}

}  // namespace qtrader::metrics
