// `qtrader impact calibrate`'s engine half: a run made with a known impact
// coefficient, read back from its events.sqlite, gives that coefficient.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/impact_calibration.hpp"
#include "qtrader/errors.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

// 20 days of bars for each symbol (the same for all), the `churn` strategy
// buying 100 shares a bar, and a system.yaml whose execution.impact is `impact`.
RunResult churn_run(const test::TempDir& dir, const std::string& impact, const std::string& universe) {
  std::filesystem::create_directories(dir / "data");
  std::ofstream(dir / "system.yaml") << "execution: {commission: {model: percentage, rate: 0}, impact: " << impact
                                     << "}\noutput: {organize_by_date: false}\nlogging: {level: error, file: false}\n";
  std::string bars = "Date,Open,High,Low,Close,Volume\n";
  double close = 100;
  for (int d = 1; d <= 20; ++d) {
    close *= 1.0 + 0.01 * ((d * 7) % 5 - 2);
    char row[160];
    std::snprintf(row, sizeof row, "2024-02-%02d,%.6f,%.6f,%.6f,%.6f,%d\n", d, close * 0.995, close * 1.2,
                  close * 0.8, close, 1000 + 100 * (d % 4));
    bars += row;
  }
  for (const char* symbol : {"AAA", "BBB"}) std::ofstream(dir / "data" / (std::string(symbol) + ".csv")) << bars;
  std::ofstream(dir / "bt.yaml") << "start_date: 2024-01-01\nend_date: 2024-12-31\ninitial_equity: 10000000\n"
                                    "script_paths: [" QTRADER_FIXTURES_DIR "/signals]\n"
                                    "data: {sources: [{name: d, path: data, layout: ohlcv, universe: "
                                 << universe << "}]}\nstrategies: [{strategy_id: c, name: churn, universe: "
                                 << universe << "}]\nrisk_policy: {name: fixed_quantity, config: {quantity: 100}}\n";
  return test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
}

}  // namespace

TEST_CASE("Calibrating a finished run recovers its impact coefficient") {
  test::TempDir dir("impact");
  const RunResult run = churn_run(dir, "{model: sqrt, coefficient: 0.5, adv_window: 3, volatility_window: 3}", "[AAA]");
  REQUIRE(run.summary.fills == 19);  // one a bar from the second
  ImpactConfig config;
  config.model = ImpactKind::Sqrt;
  config.adv_window = 3;
  config.volatility_window = 3;
  const auto fits = calibrate_run_impact(run.results_dir, config);
  REQUIRE(fits.size() == 1);
  CHECK(fits[0].symbol == "AAA");
  CHECK(fits[0].fills == 19);
  CHECK(fits[0].fit.observations == 16);  // the fills of bars 2..4 lack full windows
  CHECK(fits[0].fit.coefficient == Approx(0.5).epsilon(1e-12));
  CHECK(fits[0].fit.r_squared == Approx(1.0).epsilon(1e-12));
  CHECK_THROWS_AS(calibrate_run_impact((dir / "nowhere").string(), config), DataError);
}

TEST_CASE("Impact set per symbol applies to that symbol only") {
  test::TempDir dir("impact-symbols");
  // None for the run; AAA its own square-root model; ZZZ is in no universe of this run.
  const RunResult run = churn_run(dir,
                                  "{model: none, symbols: {AAA: {model: sqrt, coefficient: 0.5, adv_window: 3, "
                                  "volatility_window: 3}, ZZZ: {model: linear}}}",
                                  "[AAA, BBB]");
  REQUIRE(run.summary.fills == 38);
  ImpactConfig config;
  config.model = ImpactKind::Sqrt;
  config.adv_window = 3;
  config.volatility_window = 3;
  const auto fits = calibrate_run_impact(run.results_dir, config);
  REQUIRE(fits.size() == 2);
  CHECK(fits[0].symbol == "AAA");
  CHECK(fits[0].fit.coefficient == Approx(0.5).epsilon(1e-12));
  CHECK(fits[1].symbol == "BBB");
  CHECK(fits[1].fit.observations == 16);
  CHECK(fits[1].fit.coefficient == 0.0);  // BBB filled at the open: no impact
}
