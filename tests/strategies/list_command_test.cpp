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
  // Each with its full name: the built-ins in namespace qtrader, a folder without a manifest in local.
  CHECK_THAT(out, Catch::Contains("/strategies/sma_crossover.lua\n  full name: qtrader.sma_crossover\n"));
  CHECK_THAT(out, Catch::Contains("/strategies/warmup_probe.lua\n  full name: local.warmup_probe\n"));
  CHECK_THAT(out, Catch::Contains("  full name: qtrader.risk.fixed_quantity\n"));
  // User folders come first.
  CHECK(out.find("warmup_probe") < out.find("buy_and_hold"));
}

TEST_CASE("qtrader list shows params in the order the script declares them", "[strategies][list]") {
  const auto [out, code] = capture(std::string(QTRADER_BINARY) + " list 2>&1");
  REQUIRE(code == 0);
  const auto at = [&](const std::string& text) {
    const auto pos = out.find(text);
    INFO(text);
    CHECK(pos != std::string::npos);
    return pos;
  };
  // rsi_mean_reversion declares period, lower, upper (not alphabetical).
  const auto rsi = at("rsi_mean_reversion  (strategy)");
  const auto period = out.find("\n  period ", rsi), lower = out.find("\n  lower ", rsi),
             upper = out.find("\n  upper ", rsi);
  CHECK(period < lower);
  CHECK(lower < upper);
  // A risk policy's own params first, then the shared ones in their declared order.
  const auto vol = at("volatility_target  (risk_policy)");
  const auto target = out.find("\n  target_volatility ", vol), lookback = out.find("\n  lookback ", vol),
             weight = out.find("\n  max_weight ", vol), budgets = out.find("\n  budgets ", vol);
  CHECK(target < lookback);
  CHECK(lookback < weight);
  CHECK(weight < budgets);
}
