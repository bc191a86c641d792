// Reading a finished (or failed) run back from its results folder: metrics and
// the HTML report. Everything here works from the files a run leaves behind
// (equity.csv, trades.csv, fills.csv, summary.json, events.sqlite), so
// `qtrader report RUN_DIR` can rebuild both long after the run.
// Formulas: docs/metrics.md. Report layout: docs/report.md.
#pragma once

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

struct PortfolioMetrics {
  std::string start, end;  // first and last timestamp of equity.csv
  std::size_t days = 0;    // calendar days with an equity value
  double years;            // (end - start) in days / 365.25
  double initial_equity = 0.0, final_equity = 0.0;
  double total_return, cagr, annual_volatility, sharpe, sortino, calmar;
  Drawdown max_drawdown;
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
};

// Throws NotARunError when the folder has no equity.csv, and
// std::runtime_error naming the file and line for a malformed row.
Metrics compute_metrics(const std::string& results_dir, const MetricsOptions& options = {});

std::string metrics_to_json(const Metrics& metrics);  // pretty-printed
void write_metrics_json(const std::string& results_dir, const Metrics& metrics);  // metrics.json

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
  // qtrader's root folder (Engine::root()): the charts library is read from
  // <root>/node_modules/lightweight-charts/dist/. Empty: the source tree.
  std::string root;
  MetricsOptions metrics;
  // Price charts thin longer series into OHLC buckets so the file stays small.
  std::size_t max_bars_per_symbol = 20000;
  // At most this many price charts: the symbols with the most fills first.
  std::size_t max_price_charts = 12;
};

struct ReportResult {
  std::string path;            // report.html
  bool charts = false;         // the charts library was inlined
  std::vector<std::string> warnings;  // also logged
};

// Writes metrics.json and report.html into the results folder.
ReportResult write_report(const std::string& results_dir, const ReportOptions& options = {});

}  // namespace qtrader
