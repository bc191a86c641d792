// `qtrader list` through the real binary: user folders first, then every
// built-in strategy and risk policy with its params.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <string>

#include "strategy_run.hpp"
#include "shell_command.hpp"

namespace {

// stdout of a shell command, and its exit status.
std::pair<std::string, int> capture(const std::string& command) {
  auto r = qtrader::test::run_shell(command);
  return {std::move(r.out), r.status};
}

}  // namespace

TEST_CASE("qtrader list shows user scripts, built-ins and their params", "[strategies][list]") {
  const auto [out, code] = capture(std::string(QTRADER_BINARY) + " list --script-path " +
                                   qtrader::test::kFixtures + "/strategies 2>&1");
  REQUIRE(code == 0);
  for (const char* name : {"buy_and_hold", "sma_crossover", "rsi_mean_reversion", "donchian_breakout", "momentum"})
    CHECK_THAT(out, Catch::Contains(std::string(name) + "  (strategy)\n  file: " + qtrader::test::kSourceDir +
                                    "/strategies/" + name + ".lua"));
  for (const char* name : {"fixed_quantity", "naive", "fixed_fraction", "volatility_target", "max_weight"})
    CHECK_THAT(out, Catch::Contains(std::string(name) + "  (risk_policy)"));
  CHECK_THAT(out, Catch::Contains("warmup_probe  (strategy)\n  file: " + qtrader::test::kFixtures +
                                  "/strategies/warmup_probe.lua"));
  // A param line: name, type, default, bounds, description.
  CHECK_THAT(out, Catch::Contains("  slow                   integer  = 30         [1, inf]       period of the slow SMA (bars)"));
  // User folders come first.
  CHECK(out.find("warmup_probe") < out.find("buy_and_hold"));
}
