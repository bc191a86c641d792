// ctx.state (docs/checkpoints.md): a script's own state as plain data, written
// into a checkpoint as deterministic JSON and read back on resume; anything
// that is not plain data is refused with the key path that holds it.
#include <catch2/catch.hpp>

#include "expect_error.hpp"
#include "lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/strategy_script.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

struct Probe {
  ScriptHost host;
  TestStrategyContext ctx;
  std::unique_ptr<StrategyScript> script;
  explicit Probe(const std::string& mode) {
    script = std::make_unique<StrategyScript>(host, fixture("state_probe.lua"), ctx,
                                              ParamMap{{"mode", string_param(mode, 1)}});
    script->on_init();
  }
  ~Probe() { script.reset(); }
};

std::string refusal(const std::string& mode) {
  Probe p(mode);
  const ScriptError e = expect_error<ScriptError>([&] { p.script->save_state(); });
  CHECK(e.callback() == "checkpoint");
  return e.message();
}

}  // namespace

TEST_CASE("ctx.state: plain data is written as sorted JSON pairs", "[lua][checkpoint]") {
  Probe p("plain");
  CHECK(p.script->save_state() ==
        R"([["count",3.0],["flags",[[1.0,true],[2.0,false]]],)"
        R"(["levels",[[2.0,1.5],[10.0,-0.25],["top",[["nested","yes"]]]]],)"
        R"(["name","probe"],["nan",{"float":"nan"}],["third",0.3333333333333333]])");
}

TEST_CASE("ctx.state: a resumed script gets the state back and its upvalues afresh", "[lua][checkpoint]") {
  std::string saved;
  {
    Probe p("plain");
    saved = p.script->save_state();
  }
  ScriptHost host;
  TestStrategyContext ctx;
  StrategyScript script(host, fixture("state_probe.lua"), ctx,
                        ParamMap{{"mode", string_param("nothing", 1)}});
  script.resume(saved);
  REQUIRE(ctx.logs.size() == 1);
  CHECK(ctx.logs[0].second ==
        fixture("state_probe.lua") +
            ":35: resumed count=3 name=probe top=yes nan=true third=0.33333333333333331 upvalue=0");
  CHECK(script.save_state() == saved);
}

TEST_CASE("ctx.state: a function is refused with its key path", "[lua][checkpoint]") {
  CHECK(refusal("function") ==
        "ctx.state.levels[1].fn is a function: ctx.state holds only numbers, strings, booleans and tables");
}

TEST_CASE("ctx.state: a cycle is refused with its key path", "[lua][checkpoint]") {
  CHECK(refusal("cycle") == "ctx.state.graph.again.back is a cycle: it holds a table that contains it");
}

TEST_CASE("ctx.state: userdata is refused with its key path", "[lua][checkpoint]") {
  CHECK(refusal("userdata") ==
        "ctx.state.handles.ctx is a userdata: ctx.state holds only numbers, strings, booleans and tables");
}

TEST_CASE("ctx.state: a table with a metatable is refused", "[lua][checkpoint]") {
  CHECK(refusal("metatable") == "ctx.state.object has a metatable: ctx.state holds plain tables only");
}

TEST_CASE("ctx.state: a checkpoint text that is not a state is refused on resume", "[lua][checkpoint]") {
  Probe p("plain");
  const ScriptError e = expect_error<ScriptError>([&] { p.script->resume(R"({"count": 3})"); });
  CHECK(e.callback() == "resume");
  CHECK(e.message() == "ctx.state in the checkpoint is not a table");
}
