// Reading a finished (or failed) run back from its results folder: metrics and
// the HTML report. Everything here works from the files a run leaves behind
// (equity.csv, trades.csv, fills.csv, summary.json, events.sqlite), so
// `qtrader report RUN_DIR` can rebuild both long after the run.
// Formulas: docs/metrics.md. Report layout: docs/report.md.
#pragma once

#include <cmath>
#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace qtrader {

// The folder is not a run's results folder (it has no equity.csv).
class NotARunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// True when `dir` holds a run's results (an equity.csv).
bool is_run_dir(const std::string& dir);

struct MetricsOptions {
  double risk_free_rate = 0.0;      // annual, as a fraction: 0.02 = 2 %
  double periods_per_year = 252.0;  // trading days: returns are daily
};

// Undefined values (no losing trade for a profit factor, a run of one day for
// CAGR, ...) are NaN here and null in metrics.json.
struct Drawdown {
  double depth = 0.0;     // <= 0: -0.25 is 25 % below the running peak
  std::string start;      // when the peak before the trough was last reached
  std::string trough;     // the lowest point
  std::string recovery;   // first time back at the peak; empty if never
  double duration_days = 0.0;  // start to recovery, or to the last timestamp
};

// Trade and position statistics of one group: the portfolio, a strategy or a symbol.
struct TradeStats {
  std::size_t trades = 0, wins = 0, losses = 0;
  double win_rate, profit_factor, average_win, average_loss, expectancy;
  double average_holding_days;
  double gross_pnl = 0.0, commission = 0.0, net_pnl = 0.0;  // closed trades
  double exposure = 0.0;         // fraction of timestamps with a position open
  double turnover = 0.0;         // traded notional / mean equity
  double annual_turnover;        // turnover / years
};

// The distribution of the daily returns r (docs/metrics.md, "Tearsheet").
struct Distribution {
  double skew = NAN, excess_kurtosis = NAN;  // biased estimators, as scipy's defaults
  double best_day = NAN, worst_day = NAN;    // max(r), min(r)
  double var_95 = NAN, cvar_95 = NAN;        // historical, 5 % tail: losses are negative
  double tail_ratio = NAN;                   // |p95| / |p5|
  double omega = NAN;                        // Σ gains over rf / Σ losses under rf
  double stability = NAN;                    // R² of cumulative log returns on time
};

// The portfolio against its benchmark (benchmark.csv in the results folder).
struct BenchmarkMetrics {
  bool present = false;  // false: the run has no benchmark; every value NaN
  double total_return = NAN, annual_volatility = NAN, sharpe = NAN, max_drawdown = NAN;
  double alpha = NAN;         // daily: mean(x - beta * xb)
  double alpha_annual = NAN;  // (1 + alpha)^N - 1, as empyrical
  double beta = NAN, correlation = NAN;
  double tracking_error = NAN;          // stdev(r - b) * sqrt(N)
  double information_ratio = NAN;       // mean(r - b) / stdev(r - b) * sqrt(N)
  double information_ratio_daily = NAN; // the same, not annualised (quantstats)
};

// One drawdown of the day-end equity: from a peak until back at it.
struct DrawdownPeriod {
  double depth = 0.0;            // < 0, a fraction of the peak
  std::string start;             // the day the peak was last reached
  std::string first_underwater;  // the next day (quantstats' "start")
  std::string trough;            // the lowest day-end (the first, on ties)
  std::string last_underwater;   // the last day below the peak (quantstats' "end")
  std::string recovery;          // the first day back at the peak; empty if never
  double duration_days = 0.0;    // calendar days start -> recovery (or the last day)
  std::size_t days_underwater = 0;  // day-end values below the peak
};

// One day of the daily series (metrics_daily.csv); NaN where undefined.
struct DailyMetrics {
  std::string date;
  double equity, daily_return, benchmark_return, drawdown, net_exposure;
  double rolling_sharpe_126, rolling_volatility_126, rolling_sharpe_252, rolling_volatility_252;
};

struct PortfolioMetrics {
  std::string start, end;  // first and last timestamp of equity.csv
  std::size_t days = 0;    // calendar days with an equity value
  double years;            // (end - start) in days / 365.25
  double initial_equity = 0.0, final_equity = 0.0;
  double total_return, cagr, annual_volatility, sharpe, sortino, calmar;
  Drawdown max_drawdown;
  Distribution distribution;
};

struct PeriodReturn {
  std::string period;  // "YYYY-MM" or "YYYY"
  double value;
};

struct Metrics {
  MetricsOptions options;
  PortfolioMetrics portfolio;
  TradeStats trades;                          // the whole portfolio
  std::map<std::string, TradeStats> by_strategy, by_symbol;
  std::vector<PeriodReturn> monthly_returns, yearly_returns;
  BenchmarkMetrics benchmark;
  std::vector<DrawdownPeriod> worst_drawdowns;  // the 5 deepest, deepest first
  std::vector<DailyMetrics> daily;               // one per day-end
};

// Throws NotARunError when the folder has no equity.csv, and
// std::runtime_error naming the file and line for a malformed row.
Metrics compute_metrics(const std::string& results_dir, const MetricsOptions& options = {});

std::string metrics_to_json(const Metrics& metrics);  // pretty-printed
// metrics.json, and metrics_daily.csv (the daily series: rolling Sharpe and
// volatility, drawdown, exposure, benchmark returns).
void write_metrics_json(const std::string& results_dir, const Metrics& metrics);

// The portfolio's metrics as labelled, formatted lines, in the order a person
// reads them (for `qtrader show`, `qtrader compare` and end-of-run output).
struct MetricLine {
  std::string label;
  double value;        // NaN when undefined
  std::string text;    // value formatted ("12.34 %", "1.23", "2014-05-01", "-")
  bool is_percent;     // differences of percentages are shown in points
};
std::vector<MetricLine> metric_lines(const Metrics& metrics);

struct ReportOptions {
  MetricsOptions metrics;
  // Price charts thin longer series into OHLC buckets so the file stays small.
  std::size_t max_bars_per_symbol = 20000;
  // At most this many price charts: the symbols with the most fills first.
  std::size_t max_price_charts = 12;
  // A price chart with more fills shows them merged over spans of bars.
  std::size_t max_markers_per_chart = 400;
  // The trades table holds at most this many trades (0: all), those with the
  // largest |net P&L|; trades.csv has every one. 10 000 trades are ~0.6 MB.
  std::size_t max_trades = 10000;
};

struct ReportResult {
  std::string path;            // report.html
  std::vector<std::string> warnings;  // also logged
};

// Writes metrics.json and report.html into the results folder.
ReportResult write_report(const std::string& results_dir, const ReportOptions& options = {});

}  // namespace qtrader
