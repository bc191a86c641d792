// Risk policies: the built-in fixed_quantity and the validation of decisions.
#include <catch2/catch.hpp>

#include "../lua/lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/risk_script.hpp"
#include "qtrader/lua/script_host.hpp"
#include "expect_error.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::string fixed_quantity() { return builtin_strategies() + "/risk/fixed_quantity.lua"; }

RiskSignal signal(std::uint64_t id, SymbolId sym, Intention intention) {
  return RiskSignal{id, "s1", sym, intention, kNaN, kNaN, kNaN, kNaN, ""};
}

const RiskPortfolio kPortfolio{100000.0, 100000.0, 0.0, 0.0};

template <class F>
ScriptError script_error(F&& f) {
  return qtrader::test::expect_error<ScriptError>(std::forward<F>(f));
}

}  // namespace

TEST_CASE("fixed_quantity: sizes opens, closes whole positions, checks cash", "[lua][risk]") {
  ScriptHost host;
  TestRiskContext ctx;
  ctx.prices = {{0, 50.0}, {1, 20.0}};
  ctx.positions = {{0, 250.0}, {1, -30.0}};
  RiskScript policy(host, fixed_quantity(), ctx, {});
  CHECK(policy.name() == "fixed_quantity");
  policy.on_init();

  const std::vector<RiskSignal> batch{signal(11, 0, Intention::OpenLong), signal(12, 0, Intention::CloseLong),
                                      signal(13, 1, Intention::CloseLong), signal(14, 1, Intention::OpenShort),
                                      signal(15, 1, Intention::CloseShort), signal(16, 0, Intention::CloseShort)};
  std::vector<RiskDecision> out;
  policy.evaluate(batch, kPortfolio, out);
  REQUIRE(out.size() == 6);
  CHECK(out[0].signal_id == 11);
  CHECK_FALSE(out[0].rejected);
  CHECK(out[0].quantity == 100);
  CHECK(out[1].quantity == 250);
  CHECK(out[2].rejected);
  CHECK(out[2].reason == "no long position to close");
  CHECK(out[3].quantity == 100);
  CHECK(out[4].quantity == 30);
  CHECK(out[5].rejected);
  CHECK(out[5].reason == "no short position to close");
}

TEST_CASE("fixed_quantity: rejects an open that cash cannot pay, commission included", "[lua][risk]") {
  ScriptHost host;
  TestRiskContext ctx;
  ctx.prices = {{0, 50.0}, {1, 40.0}};
  // 100 * 50 + 0.001 * 100 * 50 = 5005 > 5004.99
  ctx.cash_value = 5004.99;
  RiskScript policy(host, fixed_quantity(), ctx, {});
  policy.on_init();
  std::vector<RiskDecision> out;
  policy.evaluate(std::vector<RiskSignal>{signal(1, 0, Intention::OpenLong)}, kPortfolio, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].rejected);
  CHECK(out[0].reason == "insufficient cash: need 5005.00, have 5004.99");

  // Exactly affordable passes; cash committed to the first buy counts for the second.
  ctx.cash_value = 9009.0;  // 5005 + 4004 = 9009
  out.clear();
  policy.evaluate(std::vector<RiskSignal>{signal(2, 0, Intention::OpenLong), signal(3, 1, Intention::OpenLong),
                                          signal(4, 1, Intention::OpenLong)},
                  kPortfolio, out);
  REQUIRE(out.size() == 3);
  CHECK(out[0].quantity == 100);
  CHECK(out[1].quantity == 100);
  CHECK(out[2].rejected);
  CHECK(out[2].reason == "insufficient cash: need 4004.00, have 0.00");
}

TEST_CASE("fixed_quantity: the quantity param", "[lua][risk]") {
  ScriptHost host;
  TestRiskContext ctx;
  ctx.prices = {{0, 50.0}};
  RiskScript policy(host, fixed_quantity(), ctx, {{"quantity", number_param(10, 4)}});
  policy.on_init();
  std::vector<RiskDecision> out;
  policy.evaluate(std::vector<RiskSignal>{signal(1, 0, Intention::OpenLong)}, kPortfolio, out);
  CHECK(out.at(0).quantity == 10);

  RiskScript zero(host, fixed_quantity(), ctx, {{"quantity", number_param(0, 5)}});
  auto e = script_error([&] { zero.on_init(); });
  CHECK_THAT(e.message(), Catch::Contains("quantity must be > 0"));
}

TEST_CASE("risk: signals and portfolio reach evaluate as tables", "[lua][risk]") {
  ScriptHost host;
  TestRiskContext ctx;
  RiskScript policy(host, fixture("bad_risk.lua"), ctx, {{"mode", string_param("echo", 1)}});
  policy.on_init();
  RiskSignal s{9, "fast1", 1, Intention::OpenShort, 12.5, 0.25, kNaN, 14, "tg"};
  std::vector<RiskDecision> out;
  policy.evaluate(std::span<const RiskSignal>(&s, 1), RiskPortfolio{1000.5, 2000.25, 300, -100}, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].reason == "fast1|BBB|open_short|12.5|0.25|nil|14|tg|1000.5|2000.25|300|-100");
}

TEST_CASE("risk: a signal without a decision gets none from the script", "[lua][risk]") {
  ScriptHost host;
  TestRiskContext ctx;
  RiskScript policy(host, fixture("bad_risk.lua"), ctx, {});
  policy.on_init();
  std::vector<RiskDecision> out;
  policy.evaluate(std::vector<RiskSignal>{signal(5, 0, Intention::OpenLong), signal(6, 0, Intention::OpenLong)},
                  kPortfolio, out);
  // The risk service rejects signal 6 ("no decision from risk policy").
  REQUIRE(out.size() == 1);
  CHECK(out[0].signal_id == 5);
  CHECK(out[0].quantity == 7);
  out.clear();
  policy.evaluate({}, kPortfolio, out);  // empty batch: the script is not called
  CHECK(out.empty());
}

TEST_CASE("risk: malformed decisions are script errors", "[lua][risk]") {
  const std::pair<const char*, const char*> cases[] = {
      {"unknown_id", "decision 1: unknown signal id 999"},
      {"zero_qty", "decision 1 (signal 5): quantity must be a finite number > 0, got 0"},
      {"nan_qty", "quantity must be a finite number > 0, got nan"},
      {"dup", "decision 2: signal 5 already has a decision"},
      {"not_table", "evaluate must return an array of decisions, it returned number"},
      {"both", "decision 1 (signal 5): give either quantity or reject"},
  };
  for (const auto& [mode, text] : cases) {
    INFO(mode);
    ScriptHost host;
    TestRiskContext ctx;
    RiskScript policy(host, fixture("bad_risk.lua"), ctx, {{"mode", string_param(mode, 1)}});
    policy.on_init();
    std::vector<RiskDecision> out;
    auto e = script_error(
        [&] { policy.evaluate(std::vector<RiskSignal>{signal(5, 0, Intention::OpenLong)}, kPortfolio, out); });
    CHECK(e.kind() == ScriptError::Kind::Runtime);
    CHECK(e.callback() == "evaluate");
    CHECK(e.script() == fixture("bad_risk.lua"));
    CHECK_THAT(e.message(), Catch::Contains(text));
    CHECK(out.empty());
  }
}

TEST_CASE("risk: metatables on returned tables never run", "[lua][risk]") {
  ScriptHost host;
  TestRiskContext ctx;
  RiskScript policy(host, fixture("bad_risk.lua"), ctx, {{"mode", string_param("trap", 1)}});
  policy.on_init();
  std::vector<RiskDecision> out;
  policy.evaluate(std::vector<RiskSignal>{signal(5, 0, Intention::OpenLong)}, kPortfolio, out);
  CHECK(out.empty());
}
