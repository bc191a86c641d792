// The built-in sizing policies and the rules they share (scripts/qtrader/risk_rules.lua),
// against hand-computed quantities. Commission is 0.1% of traded value throughout.
#include <catch2/catch.hpp>

#include "../lua/lua_test_doubles.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/risk_script.hpp"
#include "qtrader/lua/script_host.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::string policy_path(const std::string& name) { return builtin_strategies() + "/risk/" + name + ".lua"; }

// A host that resolves require("qtrader.risk_rules") as a run does.
ScriptHost make_host() {
  return ScriptHost(ScriptLimits{}, {builtin_strategies(), std::string(QTRADER_SOURCE_DIR) + "/scripts"});
}

RiskSignal sig(std::uint64_t id, SymbolId sym, Intention intention, std::string strategy = "s1") {
  RiskSignal s{id, std::move(strategy), sym, intention, kNaN, kNaN, kNaN, kNaN, "", OrderSpec{}};
  return s;
}

struct Run {
  RiskPortfolio portfolio{100000.0, 100000.0, 0.0, 0.0};
  std::vector<RiskDecision> evaluate(const std::string& policy, TestRiskContext& ctx, const ParamMap& config,
                                     const std::vector<RiskSignal>& batch) {
    ScriptHost host = make_host();
    RiskScript script(host, policy_path(policy), ctx, config);
    script.on_init();
    std::vector<RiskDecision> out;
    script.evaluate(batch, portfolio, out);
    return out;
  }
};

ParamMap params(std::initializer_list<std::pair<std::string, ParamValue>> list) { return ParamMap(list); }

}  // namespace

TEST_CASE("naive: a fraction of equity per new position, capped by cash", "[lua][risk][policies]") {
  TestRiskContext ctx;
  ctx.prices = {{0, 50.0}, {1, 20.0}};
  Run run;
  // 10% of 100000 = 10000: 200 shares at 50, 500 at 20.
  auto out = run.evaluate("naive", ctx, {}, {sig(1, 0, Intention::OpenLong), sig(2, 1, Intention::OpenLong)});
  REQUIRE(out.size() == 2);
  CHECK(out[0].quantity == 200);
  CHECK(out[1].quantity == 500);

  // max_pct 0.5 of equity but only 3000 cash: 3000 / 1.001 / 50 = 59.94 -> 59 shares.
  ctx.cash_value = 3000;
  out = run.evaluate("naive", ctx, params({{"max_pct_position_size", number_param(0.5, 3)}}),
                     {sig(1, 0, Intention::OpenLong)});
  CHECK(out[0].quantity == 59);

  // A position already held: not a new position.
  ctx.cash_value = 100000;
  ctx.positions = {{0, 10.0}};
  out = run.evaluate("naive", ctx, {}, {sig(1, 0, Intention::OpenLong)});
  CHECK(out[0].rejected);
  CHECK(out[0].reason == "already long AAA");
}

TEST_CASE("fixed_fraction: fraction per signal, gross leverage cap across the batch", "[lua][risk][policies]") {
  TestRiskContext ctx;
  ctx.prices = {{0, 50.0}, {1, 20.0}};
  Run run;
  // 25000 each: 500 at 50, 1250 at 20.
  auto out = run.evaluate("fixed_fraction", ctx, params({{"fraction", number_param(0.25, 2)}}),
                          {sig(1, 0, Intention::OpenLong), sig(2, 1, Intention::OpenLong)});
  CHECK(out[0].quantity == 500);
  CHECK(out[1].quantity == 1250);

  // Gross cap 0.4: the first takes 25000, the second gets the 15000 left: 750 shares.
  out = run.evaluate("fixed_fraction", ctx,
                     params({{"fraction", number_param(0.25, 2)}, {"max_gross_leverage", number_param(0.4, 3)}}),
                     {sig(1, 0, Intention::OpenLong), sig(2, 1, Intention::OpenLong)});
  CHECK(out[0].quantity == 500);
  CHECK(out[1].quantity == 750);

  // Net cap 0.2 with 15000 already net long: a buy gets 5000 (100 at 50); a
  // short may go to -20000 net: 35000 / 20 = 1750 shares, but fraction 0.25 = 25000 -> 1250.
  run.portfolio = {100000.0, 100000.0, 15000.0, 15000.0};
  out = run.evaluate("fixed_fraction", ctx,
                     params({{"fraction", number_param(0.25, 2)}, {"max_net_leverage", number_param(0.2, 3)}}),
                     {sig(1, 0, Intention::OpenLong), sig(2, 1, Intention::OpenShort)});
  CHECK(out[0].quantity == 100);
  CHECK(out[1].quantity == 1250);
}

TEST_CASE("risk rules: cash buffer, close proceeds, whole closes", "[lua][risk][policies]") {
  TestRiskContext ctx;
  ctx.prices = {{0, 50.0}, {1, 20.0}};
  Run run;
  // Buffer 5% of 100000 with 8000 cash: 3000 spendable -> 59 shares.
  ctx.cash_value = 8000;
  auto out = run.evaluate("fixed_fraction", ctx, params({{"cash_buffer", number_param(0.05, 4)}}),
                          {sig(1, 0, Intention::OpenLong)});
  CHECK(out[0].quantity == 59);
  ctx.cash_value = 4000;
  out = run.evaluate("fixed_fraction", ctx, params({{"cash_buffer", number_param(0.05, 4)}}),
                     {sig(1, 0, Intention::OpenLong)});
  CHECK(out[0].rejected);
  CHECK(out[0].reason == "insufficient cash above the 0.05 buffer: have 4000.00");

  // No cash, but the batch closes 1000 BBB at 20: 19980 after commission pays for 10000 of AAA.
  ctx.cash_value = 0;
  ctx.positions = {{1, 1000.0}};
  run.portfolio = {0.0, 100000.0, 20000.0, 20000.0};
  const std::vector<RiskSignal> rotate{sig(1, 0, Intention::OpenLong), sig(2, 1, Intention::CloseLong)};
  out = run.evaluate("fixed_fraction", ctx, {}, rotate);
  CHECK(out[0].quantity == 200);
  CHECK(out[1].quantity == 1000);
  out = run.evaluate("fixed_fraction", ctx, params({{"use_close_proceeds", bool_param(false, 5)}}), rotate);
  CHECK(out[0].rejected);
  CHECK(out[0].reason == "insufficient cash: have 0.00");
  CHECK(out[1].quantity == 1000);

  // A short is closed whole; closing a side not held is rejected.
  ctx.positions = {{0, -30.0}};
  out = run.evaluate("naive", ctx, {}, {sig(1, 0, Intention::CloseShort), sig(2, 1, Intention::CloseLong)});
  CHECK(out[0].quantity == 30);
  CHECK(out[1].reason == "no long position to close");
}

TEST_CASE("max_weight: tops a position up to its cap", "[lua][risk][policies]") {
  TestRiskContext ctx;
  ctx.prices = {{0, 50.0}};
  ctx.positions = {{0, 100.0}};  // 5000 of 100000
  Run run;
  auto out = run.evaluate("max_weight", ctx, {}, {sig(1, 0, Intention::OpenLong)});
  CHECK(out[0].quantity == 100);  // to 10000
  ctx.positions = {{0, 200.0}};
  out = run.evaluate("max_weight", ctx, {}, {sig(1, 0, Intention::OpenLong)});
  CHECK(out[0].rejected);
  CHECK(out[0].reason == "max_weight 0.1 reached for AAA");
}

TEST_CASE("budgets: capital per strategy from a YAML list of mappings", "[lua][risk][policies]") {
  // budgets: [{strategy_id: trend, capital_weight: 0.6}, {strategy_id: meanrev, capital_weight: 0.4}]
  const BacktestConfig bt = load_backtest_config(std::string(QTRADER_FIXTURES_DIR) + "/config/bt_budgets_list.yaml");
  TestRiskContext ctx;
  ctx.prices = {{0, 50.0}};
  Run run;
  // fraction 0.2 of each budget: trend 0.2 x 60000 = 12000 -> 240 shares at 50;
  // meanrev 0.2 x 40000 = 8000 -> 160 shares; 'other' is not listed.
  auto out = run.evaluate(bt.risk_policy.name, ctx, bt.risk_policy.config,
                          {sig(1, 0, Intention::OpenLong, "trend"), sig(2, 0, Intention::OpenLong, "meanrev"),
                           sig(3, 0, Intention::OpenLong, "other")});
  REQUIRE(out.size() == 3);
  CHECK(out[0].quantity == 240);
  CHECK(out[1].quantity == 160);
  CHECK(out[2].rejected);
  CHECK(out[2].reason == "no capital budget for strategy 'other'");

  // A malformed entry names its position.
  ParamValue entry;
  entry.kind = ParamValue::Kind::Map;
  entry.map = {{"strategy_id", string_param("trend", 4)}, {"weight", number_param(0.5, 4)}};
  ParamValue list;
  list.kind = ParamValue::Kind::List;
  list.list = {entry};
  ScriptHost host = make_host();
  RiskScript bad(host, policy_path("fixed_fraction"), ctx, params({{"budgets", list}}));
  try {
    bad.on_init();
    FAIL("an unknown key in a budget entry must fail");
  } catch (const ScriptError& e) {
    CHECK_THAT(e.what(), Catch::Contains("budgets: entry 1 has unknown key 'weight' (expected strategy_id, capital_weight)"));
  }
}

TEST_CASE("budgets: a number is neither a list nor the string form", "[lua][risk][policies]") {
  TestRiskContext ctx;
  ScriptHost host = make_host();
  try {
    RiskScript bad(host, policy_path("fixed_fraction"), ctx, params({{"budgets", number_param(5, 7)}}));
    FAIL("a number for budgets must fail");
  } catch (const ConfigError& e) {
    CHECK(e.line() == 7);
    CHECK_THAT(e.reason(), Catch::Contains("parameter 'budgets' must be a list, a mapping or a string, got an integer"));
  }
}

TEST_CASE("budgets: the compact string form still works", "[lua][risk][policies]") {
  TestRiskContext ctx;
  ctx.prices = {{0, 50.0}};
  Run run;
  // s1 has half the equity: 20% of 50000 = 10000 -> 200 shares; s2 has no budget.
  auto out = run.evaluate("fixed_fraction", ctx,
                          params({{"fraction", number_param(0.2, 2)}, {"budgets", string_param("s1=0.5, s3=0.5", 3)}}),
                          {sig(1, 0, Intention::OpenLong, "s1"), sig(2, 0, Intention::OpenLong, "s2")});
  CHECK(out[0].quantity == 200);
  CHECK(out[1].rejected);
  CHECK(out[1].reason == "no capital budget for strategy 's2'");

  ScriptHost host = make_host();
  RiskScript bad(host, policy_path("fixed_fraction"), ctx, params({{"budgets", string_param("s1=0.7, s2=0.6", 3)}}));
  try {
    bad.on_init();
    FAIL("weights above 1 must fail");
  } catch (const ScriptError& e) {
    CHECK(std::string(e.what()).find("budgets: weights add up to 1.3, above 1") != std::string::npos);
  }
}

TEST_CASE("volatility_target: weight = target / annualized volatility", "[lua][risk][policies]") {
  TestRiskContext ctx;
  ctx.prices = {{0, 99.0}};
  ctx.closes = {{0, {100.0, 110.0, 99.0}}};
  Run run;
  // log returns ln(1.1), ln(0.9): sample stdev 0.141895... x sqrt(252) = 2.2525230;
  // weight 0.1 / 2.2525230 = 0.0443947 -> 4439.47 -> 44 shares at 99.
  auto out = run.evaluate("volatility_target", ctx, params({{"lookback", number_param(2, 2)}}),
                          {sig(1, 0, Intention::OpenLong)});
  CHECK(out[0].quantity == 44);
  // Not enough history: rejected with the count.
  out = run.evaluate("volatility_target", ctx, {}, {sig(1, 0, Intention::OpenLong)});
  CHECK(out[0].rejected);
  CHECK(out[0].reason == "volatility needs 21 closes of AAA, have 3");
}
