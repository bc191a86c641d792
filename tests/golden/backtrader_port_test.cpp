// docs/migrating-from-backtrader.md: three strategies written with the
// qtrader.bt module (examples/backtrader) give the same fills as their
// plain-ctx versions; the SMA crossover, which backtrader_sma_cross_test
// proves equal to backtrader itself, also ends on backtrader's final value.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>

#include "csv_table.hpp"
#include "qtrader/engine.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

const std::string kFixtures = QTRADER_FIXTURES_DIR;
const std::string kSource = QTRADER_SOURCE_DIR;

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A run of ORCL 1995-2014 (the golden data) with strategy `name`, id "s".
RunResult run_orcl(const test::TempDir& dir, const std::string& tag, const std::string& name,
                   const std::string& config) {
  const std::string bt = (dir / (tag + ".yaml")).string();
  std::ofstream(bt) << "start_date: 1995-01-03\nend_date: 2014-12-31\ninitial_equity: 100000\n"
                       "script_paths: [" + kSource + "/examples/backtrader, " + kFixtures + "/backtrader_port]\n"
                       "data: {sources: [{name: sample, universe: [ORCL]}]}\n"
                       "strategies: [{strategy_id: s, name: " + name + ", universe: [ORCL], config: " + config + "}]\n"
                       "risk_policy: {name: fixed_quantity, config: {quantity: 100}}\n";
  return test::run_backtest(kFixtures + "/golden/system.yaml", bt, (dir / tag).string());
}

void check_same_fills(const RunResult& a, const RunResult& b) {
  const std::string fa = text_of(a.results_dir + "/fills.csv"), fb = text_of(b.results_dir + "/fills.csv");
  CHECK(!fa.empty());
  CHECK(fa == fb);
  CHECK(text_of(a.results_dir + "/trades.csv") == text_of(b.results_dir + "/trades.csv"));
  CHECK(a.summary.final_equity == b.summary.final_equity);
}

}  // namespace

TEST_CASE("The SMA crossover written with qtrader.bt matches the built-in and backtrader", "[golden]") {
  test::TempDir dir("btport");
  const RunResult ported = run_orcl(dir, "bt", "sma_cross_bt", "{fast: 10, slow: 30}");
  const RunResult plain = run_orcl(dir, "plain", "sma_crossover", "{fast: 10, slow: 30}");
  check_same_fills(ported, plain);
  const auto ref = test::read_csv(kFixtures + "/backtrader/sma_cross_orcl.csv");
  CHECK(std::llround(ported.summary.final_equity * 100) == std::llround(std::stod(ref.summary.at("final_value")) * 100));
  CHECK(ported.summary.fills == 195);  // backtrader's n_fills
}

TEST_CASE("The RSI strategy written with qtrader.bt matches rsi_mean_reversion", "[golden]") {
  test::TempDir dir("btport");
  const RunResult ported = run_orcl(dir, "bt", "rsi_bt", "{period: 14, lower: 30, upper: 70}");
  const RunResult plain = run_orcl(dir, "plain", "rsi_mean_reversion", "{period: 14, lower: 30, upper: 70}");
  check_same_fills(ported, plain);
  CHECK(ported.summary.fills == 28);
  CHECK(ported.summary.final_equity == Approx(100308.86328160002).epsilon(1e-12));
}

TEST_CASE("Stop-protected entries written with qtrader.bt match their ctx twin", "[golden]") {
  test::TempDir dir("btport");
  const RunResult ported = run_orcl(dir, "bt", "stops_bt", "{period: 20, stop: 0.03}");
  const RunResult plain = run_orcl(dir, "plain", "stops_ctx", "{period: 20, stop: 0.03}");
  check_same_fills(ported, plain);
  CHECK(ported.summary.fills == 475);  // 128 of the round trips end at their stop
  CHECK(ported.summary.final_equity == Approx(101623.84006699502).epsilon(1e-12));
}
