// A risk policy's ctx.state (docs/checkpoints.md): plain data written into a
// checkpoint as a strategy's is, taken back on resume with on_resume called,
// and refused with its key path when it holds anything else.
#include <catch2/catch.hpp>

#include "expect_error.hpp"
#include "lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/risk_script.hpp"
#include "qtrader/lua/script_host.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

RiskSignal risk_signal(std::uint64_t id, SymbolId symbol) {
  return {id, "s1", symbol, Intention::OpenLong, kNaN, kNaN, kNaN, kNaN, "", OrderSpec{}};
}

std::vector<double> quantities(RiskScript& script, const std::vector<RiskSignal>& signals) {
  std::vector<RiskDecision> out;
  script.evaluate(signals, RiskPortfolio{1e5, 1e5, 0, 0}, out);
  std::vector<double> q;
  for (const auto& d : out) q.push_back(d.quantity);
  return q;
}

}  // namespace

TEST_CASE("risk ctx.state: a resumed policy sizes on from its checkpointed state", "[lua][checkpoint]") {
  std::string saved;
  {
    ScriptHost host;
    TestRiskContext ctx;
    RiskScript script(host, fixture("state_risk_probe.lua"), ctx, {});
    script.on_init();
    CHECK(quantities(script, {risk_signal(1, 0), risk_signal(2, 1), risk_signal(3, 0)}) ==
          std::vector<double>{10, 20, 30});
    saved = script.save_state();
    CHECK(saved == R"([["count",3.0],["sized",[["AAA",2.0],["BBB",1.0]]]])");
  }
  ScriptHost host;
  TestRiskContext ctx;
  RiskScript script(host, fixture("state_risk_probe.lua"), ctx, {});
  script.on_init();  // a resumed run loads its scripts afresh, then restores
  script.resume(saved);
  REQUIRE(ctx.logs.size() == 1);
  CHECK(ctx.logs[0].second == fixture("state_risk_probe.lua") + ":25: resumed count=3 AAA=2 upvalue=7");
  CHECK(quantities(script, {risk_signal(4, 1)}) == std::vector<double>{40});
  CHECK(script.save_state() == R"([["count",4.0],["sized",[["AAA",2.0],["BBB",2.0]]]])");
}

TEST_CASE("risk ctx.state: a function is refused at the checkpoint with its key path", "[lua][checkpoint]") {
  ScriptHost host;
  TestRiskContext ctx;
  RiskScript script(host, fixture("state_risk_probe.lua"), ctx, ParamMap{{"mode", string_param("function", 1)}});
  script.on_init();
  const ScriptError e = expect_error<ScriptError>([&] { script.save_state(); });
  CHECK(e.callback() == "checkpoint");
  CHECK(e.message() ==
        "ctx.state.sized.fn is a function: ctx.state holds only numbers, strings, booleans and tables");
}
