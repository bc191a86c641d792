// A sweep's rows: metrics from a results folder, and their one CSV form.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "qtrader/results.hpp"
#include "qtrader/sweep.hpp"

namespace qtrader {

namespace {

// Exact and the same in every process: the shortest text that reads back as
// the same double. Undefined (NaN) is an empty cell, as null in metrics.json.
// Zero is "0" whatever its sign (SQLite does not keep the sign of a zero).
std::string exact(double v) {
  if (std::isnan(v)) return {};
  return v == 0.0 ? std::string("0") : fmt::format("{}", v);
}

// RFC 4180: a field holding a comma, a quote or a line break is quoted.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

const std::vector<std::string>& sweep_metric_names() {
  static const std::vector<std::string> names{"total_return", "cagr",     "sharpe",
                                              "sortino",      "max_drawdown", "trades",
                                              "win_rate",     "profit_factor", "final_equity",
                                              // Appended, so older sweep.csv columns keep their place;
                                              // alpha and information_ratio need the backtest's benchmark.
                                              "calmar",       "omega",        "alpha",
                                              "information_ratio"};
  return names;
}

SweepRow sweep_row_from_results(std::size_t point, std::vector<std::string> values,
                                const std::string& results_dir) {
  const Metrics m = compute_metrics(results_dir);
  SweepRow row;
  row.point = point;
  row.values = std::move(values);
  row.status = "done";
  const auto& p = m.portfolio;
  row.metrics = {exact(p.total_return),
                 exact(p.cagr),
                 exact(p.sharpe),
                 exact(p.sortino),
                 exact(p.max_drawdown.depth),
                 fmt::format("{}", m.trades.trades),
                 exact(m.trades.win_rate),
                 exact(m.trades.profit_factor),
                 exact(p.final_equity),
                 exact(p.calmar),
                 exact(p.distribution.omega),
                 exact(m.benchmark.alpha_annual),
                 exact(m.benchmark.information_ratio)};
  return row;
}

std::string sweep_csv_header(const std::vector<SweepAxis>& axes) {
  std::string out = "point";
  for (const auto& a : axes) out += "," + csv_field(a.name);
  out += ",status";
  for (const auto& m : sweep_metric_names()) out += "," + m;
  return out + ",error";
}

std::string format_sweep_row(const SweepRow& row) {
  std::string out = fmt::format("{}", row.point);
  for (const auto& v : row.values) out += "," + csv_field(v);
  out += "," + row.status;
  for (std::size_t i = 0; i < sweep_metric_names().size(); ++i)
    out += "," + (i < row.metrics.size() ? row.metrics[i] : std::string());
  return out + "," + csv_field(row.error);
}

double sweep_metric_value(const SweepRow& row, const std::string& metric) {
  const auto& names = sweep_metric_names();
  const auto it = std::find(names.begin(), names.end(), metric);
  const auto i = static_cast<std::size_t>(it - names.begin());
  if (it == names.end() || row.status != "done" || i >= row.metrics.size() || row.metrics[i].empty())
    return std::numeric_limits<double>::quiet_NaN();
  return std::strtod(row.metrics[i].c_str(), nullptr);
}

std::vector<SweepRow> best_sweep_rows(const std::vector<SweepRow>& rows, const std::string& metric,
                                      std::size_t n) {
  std::vector<SweepRow> done;
  for (const auto& r : rows)
    if (r.status == "done") done.push_back(r);
  std::stable_sort(done.begin(), done.end(), [&](const SweepRow& a, const SweepRow& b) {
    const double x = sweep_metric_value(a, metric), y = sweep_metric_value(b, metric);
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    if (x != y) return x > y;
    return a.point < b.point;
  });
  if (done.size() > n) done.resize(n);
  return done;
}

}  // namespace qtrader
