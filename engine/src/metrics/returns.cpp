// Day-end equity, daily and period returns, drawdowns.
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "metrics/calculations.hpp"
#include "qtrader/time.hpp"

namespace qtrader::metrics {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Timestamp day_of(Timestamp ts, const TimeZone& zone) { return zone.local_day(ts) * kNanosPerDay; }
}  // namespace

std::vector<DayValue> day_end_equity(const std::vector<EquityRow>& equity, const TimeZone& days_in) {
  std::vector<DayValue> days;
  for (const auto& row : equity) {
    const Timestamp d = day_of(row.ts, days_in);
    if (!days.empty() && days.back().day == d) {
      days.back().equity = row.equity;
      days.back().last = row.ts;
    } else {
      days.push_back({d, row.equity, row.ts});
    }
  }
  return days;
}

std::vector<double> daily_returns(double initial, const std::vector<DayValue>& days) {
  std::vector<double> r;
  r.reserve(days.size());
  double previous = initial;
  for (const auto& d : days) {
    r.push_back(d.equity / previous - 1.0);
    previous = d.equity;
  }
  return r;
}

std::vector<PeriodReturn> period_returns(double initial, const std::vector<DayValue>& days,
                                        bool monthly) {
  std::vector<PeriodReturn> out;
  double previous_end = initial, last = initial;
  std::string period;
  for (const auto& d : days) {
    const std::string date = format_date(d.day);
    std::string p = date.substr(0, monthly ? 7 : 4);
    if (p != period && !period.empty()) {
      out.push_back({period, last / previous_end - 1.0});
      previous_end = last;
    }
    period = std::move(p);
    last = d.equity;
  }
  if (!period.empty()) out.push_back({period, last / previous_end - 1.0});
  return out;
}

Drawdown max_drawdown(double initial, const std::vector<EquityRow>& equity) {
  Drawdown worst;
  if (equity.empty()) return worst;
  double peak = initial;
  Timestamp peak_ts = equity.front().ts;
  double worst_peak = peak;
  Timestamp worst_start = 0, worst_trough = 0;
  std::size_t trough_index = 0;
  for (std::size_t i = 0; i < equity.size(); ++i) {
    const auto& row = equity[i];
    if (row.equity >= peak) {
      peak = row.equity;
      peak_ts = row.ts;
    }
    const double dd = row.equity / peak - 1.0;
    if (dd < worst.depth) {
      worst.depth = dd;
      worst_peak = peak;
      worst_start = peak_ts;
      worst_trough = row.ts;
      trough_index = i;
    }
  }
  if (worst.depth == 0.0) return worst;
  worst.start = format_timestamp(worst_start);
  worst.trough = format_timestamp(worst_trough);
  Timestamp end = equity.back().ts;
  for (std::size_t i = trough_index + 1; i < equity.size(); ++i)
    if (equity[i].equity >= worst_peak) {
      worst.recovery = format_timestamp(equity[i].ts);
      end = equity[i].ts;
      break;
    }
  worst.duration_days = static_cast<double>(end - worst_start) / kNsPerDay;
  return worst;
}

// The same walk over day-end equity as daily_returns, against the running
// peak instead of the previous day.
std::vector<double> drawdown_series(double initial, const std::vector<DayValue>& days) {
  std::vector<double> out;
  out.reserve(days.size());
  double peak = initial;
  for (const auto& d : days) {
    peak = std::max(peak, d.equity);
    out.push_back(d.equity / peak - 1.0);
  }
  return out;
}

double mean(const std::vector<double>& x) {
  if (x.empty()) return kNaN;
  double s = 0.0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double sample_stdev(const std::vector<double>& x) {
  if (x.size() < 2) return kNaN;
  const double m = mean(x);
  double ss = 0.0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

}  // namespace qtrader::metrics
