// Portfolio metrics as lines of text, shared by the command line's views.
#include <cmath>

#include <fmt/format.h>

#include "qtrader/results.hpp"

namespace qtrader {

namespace {

enum class Kind { Percent, Ratio, Money, Count, Days, Text };

MetricLine line(std::string label, double v, Kind kind, std::string text = {}) {
  MetricLine l{std::move(label), v, {}, kind == Kind::Percent};
  if (kind == Kind::Text) {
    l.value = NAN;
    l.text = text.empty() ? "-" : std::move(text);
  } else if (!std::isfinite(v)) {
    l.text = "-";
  } else {
    switch (kind) {
      case Kind::Percent: l.text = fmt::format("{:.2f} %", v * 100.0); break;
      case Kind::Ratio: l.text = fmt::format("{:.3f}", v); break;
      case Kind::Money: l.text = fmt::format("{:.2f}", v); break;
      case Kind::Count: l.text = fmt::format("{:.0f}", v); break;
      case Kind::Days: l.text = fmt::format("{:.1f}", v); break;
      case Kind::Text: break;
    }
  }
  return l;
}

}  // namespace

std::vector<MetricLine> metric_lines(const Metrics& m) {
  const auto& p = m.portfolio;
  const auto& t = m.trades;
  const auto& dd = p.max_drawdown;
  const auto& d = p.distribution;
  const auto& b = m.benchmark;
  return {
      line("start", NAN, Kind::Text, p.start),
      line("end", NAN, Kind::Text, p.end),
      line("initial equity", p.initial_equity, Kind::Money),
      line("final equity", p.final_equity, Kind::Money),
      line("total return", p.total_return, Kind::Percent),
      line("CAGR", p.cagr, Kind::Percent),
      line("annual volatility", p.annual_volatility, Kind::Percent),
      line("Sharpe", p.sharpe, Kind::Ratio),
      line("Sortino", p.sortino, Kind::Ratio),
      line("Calmar", p.calmar, Kind::Ratio),
      line("max drawdown", dd.depth, Kind::Percent),
      line("drawdown start", NAN, Kind::Text, dd.start),
      line("drawdown trough", NAN, Kind::Text, dd.trough),
      line("drawdown recovery", NAN, Kind::Text,
           dd.recovery.empty() && dd.depth < 0.0 ? "not recovered" : dd.recovery),
      line("drawdown days", dd.duration_days, Kind::Days),
      line("trades", static_cast<double>(t.trades), Kind::Count),
      line("win rate", t.win_rate, Kind::Percent),
      line("profit factor", t.profit_factor, Kind::Ratio),
      line("average win", t.average_win, Kind::Money),
      line("average loss", t.average_loss, Kind::Money),
      line("expectancy", t.expectancy, Kind::Money),
      line("avg holding days", t.average_holding_days, Kind::Days),
      line("net P&L (closed)", t.net_pnl, Kind::Money),
      line("commission", t.commission, Kind::Money),
      line("exposure", t.exposure, Kind::Percent),
      line("turnover per year", t.annual_turnover, Kind::Ratio),
      line("best day", d.best_day, Kind::Percent),
      line("worst day", d.worst_day, Kind::Percent),
      line("VaR 95 % (daily)", d.var_95, Kind::Percent),
      line("CVaR 95 % (daily)", d.cvar_95, Kind::Percent),
      line("skew", d.skew, Kind::Ratio),
      line("excess kurtosis", d.excess_kurtosis, Kind::Ratio),
      line("tail ratio", d.tail_ratio, Kind::Ratio),
      line("omega", d.omega, Kind::Ratio),
      // "-" without a benchmark; always listed, so compare's rows line up.
      line("benchmark return", b.total_return, Kind::Percent),
      line("alpha (annual)", b.alpha_annual, Kind::Percent),
      line("beta", b.beta, Kind::Ratio),
      line("information ratio", b.information_ratio, Kind::Ratio),
      line("tracking error", b.tracking_error, Kind::Percent),
  };
}

}  // namespace qtrader
