// Corporate actions in real runs: tests/fixtures/actions/data_sources.yaml
// names the corporate-actions file of tests/fixtures/execution for a raw-price
// source, and buy_and_hold buys 100 shares (fixed_quantity) on the first bar,
// filled at the next open with 0.1% commission. Hand-computed figures:
//
// split.yaml, NVDA 2007-08-27..2007-09-21 (raw prices, NVDA_raw_2007.csv):
//   fill 2007-08-28 at the open 49.50: cash 100000 - 4950 - 4.95 = 95045.05
//   2007-09-11, 3-for-2: 150 shares at 49.50 / 1.5 = 33.00, cash unchanged
//   end: close 34.49, equity 95045.05 + 150 * 34.49 = 100218.55
// dividend.yaml, ORCL 2009-03-20..2009-04-15 (data/sample rows):
//   fill 2009-03-23 at the open 17.34: cash 100000 - 1734 - 1.734 = 98264.266
//   2009-04-06, 0.05 a share: cash + 100 * 0.05 = 98269.266
//   end: close 18.59, equity 98269.266 + 1859 = 100128.266
#include <catch2/catch.hpp>

#include <fstream>
#include <string>

#include "csv_table.hpp"
#include "qtrader/engine.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

const std::string kActions = std::string(QTRADER_FIXTURES_DIR) + "/actions/";

RunResult run_actions_fixture(const std::string& backtest, const test::TempDir& out) {
  return test::run_backtest(kActions + "system.yaml", kActions + backtest, out.str());
}

// The equity.csv row of `date` (timestamps start with the date).
std::size_t row_of(const test::CsvTable& t, const std::string& date) {
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    if (t.at(i, "timestamp").rfind(date, 0) == 0) return i;
  FAIL("no equity row for " << date);
  return 0;
}

}  // namespace

TEST_CASE("a split from data_sources.yaml's corporate_actions file in a run", "[execution][actions][run]") {
  const test::TempDir out("actions-split");
  const RunResult run = run_actions_fixture("split.yaml", out);
  CHECK(run.summary.fills == 1);
  REQUIRE(run.summary.open_positions.size() == 1);
  const auto& p = run.summary.open_positions[0];
  CHECK(p.symbol == "NVDA");
  CHECK(p.quantity == 150);
  CHECK(p.avg_price == Approx(33.0).epsilon(1e-15));
  CHECK(p.last_price == 34.49);
  CHECK(run.summary.final_cash == Approx(95045.05).epsilon(1e-15));
  CHECK(run.summary.final_equity == Approx(100218.55).epsilon(1e-15));

  // Equity moves with the price only: 2007-09-10 has 100 at 50.79, 2007-09-11 150 at 34.58.
  const auto equity = test::read_csv(run.results_dir + "/equity.csv");
  const std::size_t before = row_of(equity, "2007-09-10"), after = row_of(equity, "2007-09-11");
  CHECK(after == before + 1);
  CHECK(equity.num(before, "cash") == Approx(95045.05).epsilon(1e-15));
  CHECK(equity.num(after, "cash") == Approx(95045.05).epsilon(1e-15));
  CHECK(equity.num(before, "equity") == Approx(95045.05 + 100 * 50.79).epsilon(1e-15));
  CHECK(equity.num(after, "equity") == Approx(95045.05 + 150 * 34.58).epsilon(1e-15));
}

TEST_CASE("a dividend from data_sources.yaml's corporate_actions file in a run",
          "[execution][actions][run]") {
  const test::TempDir out("actions-dividend");
  const RunResult run = run_actions_fixture("dividend.yaml", out);
  CHECK(run.summary.fills == 1);
  REQUIRE(run.summary.open_positions.size() == 1);
  const auto& p = run.summary.open_positions[0];
  CHECK(p.symbol == "ORCL");
  CHECK(p.quantity == 100);
  CHECK(p.avg_price == 17.34);
  CHECK(p.last_price == 18.59);
  CHECK(run.summary.final_cash == Approx(98269.266).epsilon(1e-15));
  CHECK(run.summary.final_equity == Approx(100128.266).epsilon(1e-15));

  // The cash arrives on the ex-date, 2009-04-06, and not before.
  const auto equity = test::read_csv(run.results_dir + "/equity.csv");
  const std::size_t before = row_of(equity, "2009-04-03"), on = row_of(equity, "2009-04-06");
  CHECK(on == before + 1);
  CHECK(equity.num(before, "cash") == Approx(98264.266).epsilon(1e-15));
  CHECK(equity.num(on, "cash") == Approx(98269.266).epsilon(1e-15));
  CHECK(equity.num(on, "equity") == Approx(98269.266 + 100 * 19.110001).epsilon(1e-15));
}

TEST_CASE("the same runs without the corporate_actions file see neither", "[execution][actions][run]") {
  // The golden data_sources.yaml reads data/sample with no corporate_actions:
  // the ORCL position earns no dividend.
  EngineOptions eo;
  eo.system_config = std::string(QTRADER_FIXTURES_DIR) + "/golden/system.yaml";
  Engine engine(eo);
  const test::TempDir out("actions-none");
  RunOptions ro;
  ro.output_dir = out.str();
  ro.quiet = true;
  ro.report = false;
  // dividend.yaml names the source "raw"; a copy names the golden "sample" source.
  const std::string yaml = (out / "dividend_sample.yaml").string();
  {
    std::ofstream f(yaml);
    f << "start_date: 2009-03-20\nend_date: 2009-04-15\ninitial_equity: 100000\n"
         "data:\n  sources:\n    - name: sample\n      universe: [ORCL]\n"
         "strategies:\n  - strategy_id: bh\n    name: buy_and_hold\n    universe: [ORCL]\n"
         "risk_policy:\n  name: fixed_quantity\n  config: {quantity: 100}\n";
  }
  const RunResult run = engine.run(yaml, ro);
  CHECK(run.summary.final_cash == Approx(98264.266).epsilon(1e-15));
  CHECK(run.summary.final_equity == Approx(98264.266 + 1859.0).epsilon(1e-15));
}
