// Numbers that would overflow the engine's arithmetic are refused where they
// enter (issue #14, "numbers that overflow"): a risk policy's absurd size is a
// rejected order, a signal's bad price fails the script, and no run ends
// completed with an infinite cash or a NaN equity.
#include <catch2/catch.hpp>

#include <cmath>

#include "qtrader/errors.hpp"
#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

RunResult run_overflow(const std::vector<ParamOverride>& params) {
  RunOptions ro = quiet_run_options();
  ro.output_dir = process_temp_dir().str();
  ro.params = params;
  return run_backtest(kFixtures + "/golden/system.yaml", kFixtures + "/strategies/overflow.yaml", ro);
}

std::string script_error_of(const std::vector<ParamOverride>& params) {
  try {
    run_overflow(params);
  } catch (const ScriptError& e) {
    return e.what();
  }
  FAIL("expected the run to fail with a ScriptError");
  return {};
}

}  // namespace

TEST_CASE("overflow: a risk policy sizing 1e308 shares gets a rejected order, not an infinite cash",
          "[strategies][hardening]") {
  const RunResult run = run_overflow({});
  CHECK(run.summary.orders == 1);  // the risk service sized it; execution refused it
  CHECK(run.summary.rejections == 1);
  CHECK(run.summary.fills == 0);
  CHECK(run.summary.final_equity == 100000.0);
  CHECK(run.summary.final_cash == 100000.0);
}

TEST_CASE("overflow: a risk policy sizing at the quantity limit is still refused for cash, finitely",
          "[strategies][hardening]") {
  const RunResult run = run_overflow({{"risk.quantity", "1e15"}});
  CHECK(std::isfinite(run.summary.final_equity));
  CHECK(std::isfinite(run.summary.final_cash));
}

TEST_CASE("overflow: signal prices must be positive and below the price limit",
          "[strategies][hardening]") {
  CHECK_THAT(script_error_of({{"field", "price"}, {"value", "-1"}}),
             Catch::Contains("price must be a price > 0 and <= 1e+12, got -1"));
  CHECK_THAT(script_error_of({{"field", "take_profit"}, {"value", "-1e308"}}),
             Catch::Contains("take_profit must be a price > 0 and <= 1e+12, got -1e+308"));
  CHECK_THAT(script_error_of({{"field", "stop_loss"}, {"value", "1e300"}}),
             Catch::Contains("stop_loss must be a price > 0 and <= 1e+12, got 1e+300"));
  CHECK_THAT(script_error_of({{"field", "quantity"}, {"value", "1e300"}}),
             Catch::Contains("quantity must be > 0 and <= 1e+15, got 1e+300"));
}
