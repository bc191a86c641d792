// metrics.json: NaN (undefined) becomes null; key order follows docs/metrics.md.
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/result_file.hpp"
#include "metrics/metrics_json.hpp"
#include "qtrader/results.hpp"

namespace qtrader {

namespace {

using ojson = nlohmann::ordered_json;

ojson number(double v) { return std::isfinite(v) ? ojson(v) : ojson(nullptr); }

ojson text_or_null(const std::string& s) { return s.empty() ? ojson(nullptr) : ojson(s); }

// metrics.json names each field of its struct once, here; the report's trade
// rows (report/report_data.cpp) look alike but name a trade's fields.
ojson to_json(const TradeStats& s) {
  return ojson{{"trades", s.trades},
               {"wins", s.wins},
               {"losses", s.losses},
               {"win_rate", number(s.win_rate)},
               {"profit_factor", number(s.profit_factor)},
               {"average_win", number(s.average_win)},
               {"average_loss", number(s.average_loss)},
               {"expectancy", number(s.expectancy)},
               {"average_holding_days", number(s.average_holding_days)},
               {"gross_pnl", number(s.gross_pnl)},
               {"commission", number(s.commission)},
               {"net_pnl", number(s.net_pnl)},
               {"exposure", number(s.exposure)},
               {"turnover", number(s.turnover)},
               {"annual_turnover", number(s.annual_turnover)}};
}

ojson to_json(const std::vector<PeriodReturn>& returns) {
  ojson out = ojson::array();
  for (const auto& r : returns) out.push_back({{"period", r.period}, {"return", number(r.value)}});
  return out;
}

void add_distribution(const Distribution& d, ojson& portfolio) {
  portfolio["skew"] = number(d.skew);
  portfolio["excess_kurtosis"] = number(d.excess_kurtosis);
  portfolio["best_day"] = number(d.best_day);
  portfolio["worst_day"] = number(d.worst_day);
  portfolio["var_95"] = number(d.var_95);
  portfolio["cvar_95"] = number(d.cvar_95);
  portfolio["tail_ratio"] = number(d.tail_ratio);
  portfolio["omega"] = number(d.omega);
  portfolio["stability"] = number(d.stability);
}

ojson to_json(const BenchmarkMetrics& b) {
  if (!b.present) return nullptr;
  return ojson{{"total_return", number(b.total_return)},
               {"annual_volatility", number(b.annual_volatility)},
               {"sharpe", number(b.sharpe)},
               {"max_drawdown", number(b.max_drawdown)},
               {"alpha", number(b.alpha)},
               {"alpha_annual", number(b.alpha_annual)},
               {"beta", number(b.beta)},
               {"correlation", number(b.correlation)},
               {"tracking_error", number(b.tracking_error)},
               {"information_ratio", number(b.information_ratio)},
               {"information_ratio_daily", number(b.information_ratio_daily)}};
}

ojson to_json(const std::vector<DrawdownPeriod>& table) {
  ojson out = ojson::array();
  for (const auto& d : table)
    out.push_back({{"depth", number(d.depth)},
                   {"start", d.start},
                   {"first_underwater", d.first_underwater},
                   {"trough", d.trough},
                   {"last_underwater", d.last_underwater},
                   {"recovery", text_or_null(d.recovery)},
                   {"duration_days", number(d.duration_days)},
                   {"days_underwater", d.days_underwater}});
  return out;
}

// Year -> {"01".."12" (months with data), "year"}: the tearsheet's grid of the
// monthly and yearly returns above.
ojson returns_table(const Metrics& m) {
  ojson out = ojson::object();
  for (const auto& r : m.monthly_returns)
    out[r.period.substr(0, 4)][r.period.substr(5, 2)] = number(r.value);
  for (const auto& r : m.yearly_returns) out[r.period]["year"] = number(r.value);
  return out;
}

std::string cell(double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); }

void write_daily_csv(const std::string& results_dir, const Metrics& m) {
  // As NAME.partial, renamed when whole: a process killed while writing it
  // leaves no cut metrics_daily.csv (base/result_file.hpp).
  ResultFile out(results_dir + "/metrics_daily.csv");
  out.write("date,equity,return,benchmark_return,drawdown,net_exposure,rolling_sharpe_126,"
            "rolling_volatility_126,rolling_sharpe_252,rolling_volatility_252\n");
  for (const auto& d : m.daily)
    out.row(FMT_COMPILE("{},{},{},{},{},{},{},{},{},{}\n"), d.date, cell(d.equity), cell(d.daily_return),
            cell(d.benchmark_return), cell(d.drawdown), cell(d.net_exposure), cell(d.rolling_sharpe_126),
            cell(d.rolling_volatility_126), cell(d.rolling_sharpe_252), cell(d.rolling_volatility_252));
  out.close();
}

}  // namespace

nlohmann::ordered_json metrics::metrics_tree(const Metrics& m) {
  const auto& p = m.portfolio;
  const auto& dd = p.max_drawdown;
  ojson portfolio{{"start", text_or_null(p.start)},
                  {"end", text_or_null(p.end)},
                  {"days", p.days},
                  {"years", number(p.years)},
                  {"initial_equity", number(p.initial_equity)},
                  {"final_equity", number(p.final_equity)},
                  {"total_return", number(p.total_return)},
                  {"cagr", number(p.cagr)},
                  {"annual_volatility", number(p.annual_volatility)},
                  {"sharpe", number(p.sharpe)},
                  {"sortino", number(p.sortino)},
                  {"calmar", number(p.calmar)},
                  {"max_drawdown",
                   {{"depth", number(dd.depth)},
                    {"start", text_or_null(dd.start)},
                    {"trough", text_or_null(dd.trough)},
                    {"recovery", text_or_null(dd.recovery)},
                    {"duration_days", number(dd.duration_days)}}}};
  const ojson trade_stats = to_json(m.trades);
  for (const auto& [k, v] : trade_stats.items()) portfolio[k] = v;
  add_distribution(p.distribution, portfolio);

  ojson by_strategy = ojson::object(), by_symbol = ojson::object();
  for (const auto& [name, s] : m.by_strategy) by_strategy[name] = to_json(s);
  for (const auto& [name, s] : m.by_symbol) by_symbol[name] = to_json(s);

  ojson j{{"options",
           {{"risk_free_rate", m.options.risk_free_rate},
            {"periods_per_year", m.options.periods_per_year}}},
          {"portfolio", portfolio},
          {"by_strategy", by_strategy},
          {"by_symbol", by_symbol},
          {"monthly_returns", to_json(m.monthly_returns)},
          {"yearly_returns", to_json(m.yearly_returns)},
          {"returns_table", returns_table(m)},
          {"benchmark", to_json(m.benchmark)},
          {"worst_drawdowns", to_json(m.worst_drawdowns)}};
  return j;
}

std::string metrics_to_json(const Metrics& m) { return metrics::metrics_tree(m).dump(2) + "\n"; }

void write_metrics_json(const std::string& results_dir, const Metrics& metrics) {
  ResultFile out(results_dir + "/metrics.json");
  out.write(metrics_to_json(metrics));
  out.close();
  write_daily_csv(results_dir, metrics);
}

}  // namespace qtrader
