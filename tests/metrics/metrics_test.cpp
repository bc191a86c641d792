// Every metric of docs/metrics.md against values computed independently on the
// hand-made results folders of tests/fixtures/metrics/. The constants were
// printed by tests/fixtures/metrics/reference_metrics.py (plain Python, none of
// qtrader's code); counts, P&L sums and dates are checked by hand in comments.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "qtrader/results.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
namespace fs = std::filesystem;

namespace {

const std::string kDir = std::string(QTRADER_FIXTURES_DIR) + "/metrics";

bool same(double got, double expected) {
  return std::fabs(got - expected) <= 1e-12 * std::max(1.0, std::fabs(expected));
}

}  // namespace

TEST_CASE("portfolio return and risk metrics of the basic fixture", "[metrics]") {
  const Metrics m = compute_metrics(kDir + "/basic");
  const auto& p = m.portfolio;
  CHECK(p.start == "2024-01-29");
  CHECK(p.end == "2024-03-06");
  CHECK(p.days == 12);
  CHECK(p.initial_equity == 1000.0);   // summary.json
  CHECK(p.final_equity == 1021.0);
  CHECK(same(p.years, 37 / 365.25));   // 2024-01-29 .. 2024-03-06
  CHECK(same(p.total_return, 0.021));  // 1021 / 1000 - 1
  CHECK(same(p.cagr, 0.2277182473692385));
  CHECK(same(p.annual_volatility, 0.2472282898091537));
  CHECK(same(p.sharpe, 1.8794660027834285));
  CHECK(same(p.sortino, 3.4070784337290085));
  CHECK(same(p.calmar, 7.477973413609197));
  // Peak 1018 on 02-01, trough 987 on 02-06, back above 1018 on 03-06 (1021).
  CHECK(same(p.max_drawdown.depth, -31.0 / 1018.0));
  CHECK(p.max_drawdown.start == "2024-02-01");
  CHECK(p.max_drawdown.trough == "2024-02-06");
  CHECK(p.max_drawdown.recovery == "2024-03-06");
  CHECK(p.max_drawdown.duration_days == 34.0);
}

TEST_CASE("a risk-free rate lowers Sharpe and Sortino only", "[metrics]") {
  MetricsOptions o;
  o.risk_free_rate = 0.02;
  const Metrics m = compute_metrics(kDir + "/basic", o);
  CHECK(same(m.portfolio.sharpe, 1.7993643065114573));
  CHECK(same(m.portfolio.sortino, 3.2458388290332993));
  CHECK(same(m.portfolio.annual_volatility, 0.2472282898091537));
  CHECK(same(m.portfolio.calmar, 7.477973413609197));
}

TEST_CASE("portfolio trade statistics, exposure and turnover", "[metrics]") {
  const auto t = compute_metrics(kDir + "/basic").trades;
  // Net P&L of the three trades: +18, -31, +4.
  CHECK(t.trades == 3);
  CHECK(t.wins == 2);
  CHECK(t.losses == 1);
  CHECK(same(t.win_rate, 2.0 / 3.0));
  CHECK(same(t.profit_factor, 22.0 / 31.0));
  CHECK(t.average_win == 11.0);
  CHECK(t.average_loss == -31.0);
  CHECK(t.expectancy == -3.0);
  CHECK(same(t.average_holding_days, 32.0 / 3.0));  // 2 + 4 + 26 days
  CHECK(t.gross_pnl == -4.0);
  CHECK(t.commission == 5.0);
  CHECK(t.net_pnl == -9.0);
  CHECK(same(t.exposure, 9.0 / 12.0));  // open after the fills of 9 of the 12 rows
  CHECK(same(t.turnover, 706.0 / 1001.25));  // traded notional / mean equity
  CHECK(same(t.annual_turnover, 6.960664034821339));
}

TEST_CASE("per-strategy statistics follow each strategy's trades and fills", "[metrics]") {
  const auto m = compute_metrics(kDir + "/basic");
  REQUIRE(m.by_strategy.size() == 2);
  const auto& s1 = m.by_strategy.at("s1");  // one winning AAA trade, an open BBB long
  CHECK(s1.trades == 1);
  CHECK(s1.win_rate == 1.0);
  CHECK(std::isnan(s1.profit_factor));  // no losing trade
  CHECK(s1.average_win == 18.0);
  CHECK(std::isnan(s1.average_loss));
  CHECK(s1.expectancy == 18.0);
  CHECK(s1.average_holding_days == 2.0);
  CHECK(same(s1.exposure, 5.0 / 12.0));
  CHECK(same(s1.turnover, 0.2696629213483146));
  CHECK(same(s1.annual_turnover, 2.662010324931673));

  const auto& s2 = m.by_strategy.at("s2");  // BBB short -31, AAA long +4
  CHECK(s2.trades == 2);
  CHECK(s2.win_rate == 0.5);
  CHECK(same(s2.profit_factor, 4.0 / 31.0));
  CHECK(s2.average_win == 4.0);
  CHECK(s2.average_loss == -31.0);
  CHECK(s2.expectancy == -13.5);
  CHECK(s2.average_holding_days == 15.0);
  CHECK(same(s2.exposure, 4.0 / 12.0));
  CHECK(same(s2.turnover, 0.4354556803995006));
  CHECK(same(s2.annual_turnover, 4.298653709889665));
}

TEST_CASE("per-symbol statistics follow each symbol's trades and net position", "[metrics]") {
  const auto m = compute_metrics(kDir + "/basic");
  REQUIRE(m.by_symbol.size() == 2);
  const auto& aaa = m.by_symbol.at("AAA");
  CHECK(aaa.trades == 2);
  CHECK(aaa.win_rate == 1.0);
  CHECK(aaa.average_win == 11.0);
  CHECK(aaa.expectancy == 11.0);
  CHECK(aaa.average_holding_days == 14.0);
  CHECK(aaa.net_pnl == 22.0);
  CHECK(same(aaa.exposure, 4.0 / 12.0));
  CHECK(same(aaa.turnover, 0.4254681647940075));
  CHECK(same(aaa.annual_turnover, 4.200060734892196));

  const auto& bbb = m.by_symbol.at("BBB");
  CHECK(bbb.trades == 1);
  CHECK(bbb.win_rate == 0.0);
  CHECK(bbb.profit_factor == 0.0);
  CHECK(std::isnan(bbb.average_win));
  CHECK(bbb.average_loss == -31.0);
  CHECK(bbb.average_holding_days == 4.0);
  CHECK(same(bbb.exposure, 5.0 / 12.0));
  CHECK(same(bbb.turnover, 0.27965043695380776));
  CHECK(same(bbb.annual_turnover, 2.760603299929143));
}

TEST_CASE("monthly and yearly returns chain month-end equity", "[metrics]") {
  const auto m = compute_metrics(kDir + "/basic");
  REQUIRE(m.monthly_returns.size() == 3);
  CHECK(m.monthly_returns[0].period == "2024-01");
  CHECK(same(m.monthly_returns[0].value, 989.0 / 1000.0 - 1));
  CHECK(m.monthly_returns[1].period == "2024-02");
  CHECK(same(m.monthly_returns[1].value, 996.0 / 989.0 - 1));
  CHECK(m.monthly_returns[2].period == "2024-03");
  CHECK(same(m.monthly_returns[2].value, 1021.0 / 996.0 - 1));
  REQUIRE(m.yearly_returns.size() == 1);
  CHECK(m.yearly_returns[0].period == "2024");
  CHECK(same(m.yearly_returns[0].value, 0.021));
}

TEST_CASE("an unrecovered drawdown runs to the last row and no trades leaves trade figures undefined",
          "[metrics]") {
  // No summary.json: the first equity row (100) is the initial equity.
  const auto m = compute_metrics(kDir + "/underwater");
  const auto& p = m.portfolio;
  CHECK(p.initial_equity == 100.0);
  CHECK(same(p.total_return, 0.04));
  CHECK(same(p.cagr, 117.52475318662025));
  CHECK(same(p.annual_volatility, 1.3567232171561807));
  CHECK(same(p.sharpe, 2.345222770262298));
  CHECK(same(p.sortino, 4.00871410767364));
  CHECK(same(p.max_drawdown.depth, 99.0 / 110.0 - 1));
  CHECK(p.max_drawdown.start == "2024-01-02");
  CHECK(p.max_drawdown.trough == "2024-01-03");
  CHECK(p.max_drawdown.recovery.empty());
  CHECK(p.max_drawdown.duration_days == 2.0);
  CHECK(same(p.calmar, 1175.2475318662027));
  CHECK(m.trades.trades == 0);
  CHECK(std::isnan(m.trades.win_rate));
  CHECK(std::isnan(m.trades.expectancy));
  CHECK(m.trades.exposure == 0.0);
  CHECK(m.trades.turnover == 0.0);
  CHECK(m.by_strategy.empty());
}

TEST_CASE("metrics.json writes undefined values as null", "[metrics]") {
  const qtrader::test::TempDir tmp("metrics-json");
  const fs::path dir = tmp.path();
  for (const char* f : {"equity.csv", "trades.csv", "fills.csv", "summary.json"})
    fs::copy_file(kDir + "/basic/" + f, dir / f);
  write_metrics_json(dir.string(), compute_metrics(dir.string()));
  std::ifstream in(dir / "metrics.json");
  const auto j = nlohmann::json::parse(in);
  CHECK(j["options"]["periods_per_year"] == 252.0);
  CHECK(j["portfolio"]["total_return"].get<double>() == Approx(0.021).epsilon(1e-12));
  CHECK(j["portfolio"]["trades"] == 3);
  CHECK(j["portfolio"]["max_drawdown"]["recovery"] == "2024-03-06");
  CHECK(j["by_strategy"]["s1"]["profit_factor"].is_null());
  CHECK(j["by_symbol"]["BBB"]["average_win"].is_null());
  CHECK(j["monthly_returns"].size() == 3);
}

TEST_CASE("a folder without equity.csv is not a run", "[metrics]") {
  CHECK_FALSE(is_run_dir(kDir));
  CHECK(is_run_dir(kDir + "/basic"));
  CHECK_THROWS_MATCHES(compute_metrics(kDir), NotARunError,
                       Catch::Message(kDir + ": not a run's results folder (no equity.csv)"));
}

TEST_CASE("a malformed row names the file and the line", "[metrics]") {
  const qtrader::test::TempDir tmp("metrics-bad");
  const fs::path dir = tmp.path();
  std::ofstream(dir / "equity.csv") << "timestamp,cash,equity\n2024-01-01,1,1\n2024-01-02,1,x\n";
  try {
    compute_metrics(dir.string());
    FAIL("no error");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == (dir / "equity.csv").string() +
                                       ":3: 'x' in column 'equity' is not a number");
  }
}
