// Loading strategies, their callbacks, the ctx object and how failures are reported.
#include <catch2/catch.hpp>

#include "lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/strategy_script.hpp"
#include "expect_error.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

template <class F>
ScriptError script_error(F&& f) {
  return qtrader::test::expect_error<ScriptError>(std::forward<F>(f));
}

template <class F>
ConfigError config_error(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("expected a ConfigError");
  throw std::logic_error("unreachable");
}

const Bar kBar = make_bar(1, 86'400'000'000'000LL, 10.5, 12.25, 9.75, 11.0, 1500);

}  // namespace

TEST_CASE("strategy: params merge over declared defaults and reach on_init", "[lua][strategy]") {
  ScriptHost host;
  TestStrategyContext ctx;
  ParamMap overrides{{"slow", number_param(45, 7)}, {"label", string_param("custom", 8)}};
  StrategyScript script(host, fixture("params_probe.lua"), ctx, overrides);
  CHECK(script.name() == "params_probe");
  REQUIRE(script.params().size() == 5);
  CHECK(script.params()[0].first == "fast");
  CHECK(script.params()[0].second.number == 10);
  CHECK(script.params()[4].first == "slow");
  CHECK(script.params()[4].second.number == 45);
  script.on_init();
  REQUIRE(ctx.logs.size() == 1);
  CHECK(ctx.logs[0].first == LogLevel::Info);
  CHECK(ctx.logs[0].second == fixture("params_probe.lua") + ":13: params 10 45 custom false 0.5");
}

TEST_CASE("strategy: on_bar sees every bar field, on_fill and on_stop work", "[lua][strategy]") {
  ScriptHost host;
  TestStrategyContext ctx;
  ctx.clock = 172'800'000'000'000LL;
  ctx.cash_value = 2500.5;
  ctx.equity_value = 3000.25;
  ctx.positions[1] = -40;
  StrategyScript script(host, fixture("params_probe.lua"), ctx, {});
  script.on_init();
  script.on_bar(kBar);
  script.on_bar(make_bar(0, 5, 1, 2, 0.5, 1.5, 0));  // the view is overwritten, not stale
  REQUIRE(ctx.logs.size() == 3);
  CHECK(ctx.logs[1].first == LogLevel::Debug);
  CHECK(ctx.logs[1].second ==
        fixture("params_probe.lua") + ":16: bar 1 86400000000000 86400000000000 10.5 12.25 9.75 11 1500");
  CHECK(ctx.logs[2].second == fixture("params_probe.lua") + ":16: bar 0 5 5 1 2 0.5 1.5 0");

  FillEvent fill{123, 77, 0, 1, Side::Sell, 40, 11.5, 0.46};
  script.on_fill(fill);
  CHECK(ctx.logs[3].second == fixture("params_probe.lua") + ":19: fill 77 1 sell 40 11.5 0.46 123");
  script.on_stop();
  CHECK(ctx.logs[4].first == LogLevel::Warn);
  CHECK(ctx.logs[4].second == fixture("params_probe.lua") + ":22: stop 172800000000000 2500.5 3000.25 -40 BBB");
}

TEST_CASE("strategy: unknown or mistyped params are ConfigErrors at the YAML line", "[lua][strategy][params]") {
  ScriptHost host;
  TestStrategyContext ctx;
  const std::string key = "strategies[probe1].config";
  auto e = config_error([&] {
    StrategyScript(host, fixture("params_probe.lua"), ctx, {{"fsat", number_param(5, 12, "my.yaml")}}, key);
  });
  CHECK(e.file() == "my.yaml");
  CHECK(e.line() == 12);
  CHECK(e.key() == "strategies[probe1].config.fsat");
  CHECK(e.reason() == "strategy 'params_probe' has no parameter 'fsat' (its parameters: fast, flag, label, ratio, slow)");

  e = config_error([&] {
    StrategyScript(host, fixture("params_probe.lua"), ctx, {{"fast", string_param("ten", 13)}}, key);
  });
  CHECK(e.line() == 13);
  CHECK(e.key() == "strategies[probe1].config.fast");
  CHECK(e.reason() == "strategy 'params_probe' parameter 'fast' must be an integer, got a string");

  e = config_error([&] { StrategyScript(host, fixture("params_probe.lua"), ctx, {{"fast", number_param(2.5, 14)}}, key); });
  CHECK(e.reason() == "strategy 'params_probe' parameter 'fast' must be an integer, got a number");
  e = config_error([&] { StrategyScript(host, fixture("params_probe.lua"), ctx, {{"fast", number_param(501, 15)}}, key); });
  CHECK(e.reason() == "strategy 'params_probe' parameter 'fast' = 501 is out of range [1, 500]");
  e = config_error([&] { StrategyScript(host, fixture("params_probe.lua"), ctx, {{"flag", number_param(1, 16)}}, key); });
  CHECK(e.reason() == "strategy 'params_probe' parameter 'flag' must be a boolean, got an integer");
  e = config_error([&] { StrategyScript(host, fixture("params_probe.lua"), ctx, {{"label", bool_param(true, 17)}}, key); });
  CHECK(e.reason() == "strategy 'params_probe' parameter 'label' must be a string, got a boolean");
  // A plain numeric default accepts any number.
  StrategyScript ok(host, fixture("params_probe.lua"), ctx, {{"slow", number_param(30.5, 18)}, {"flag", bool_param(true, 19)}}, key);
  CHECK(ok.params()[1].second.boolean);
}

TEST_CASE("strategy: valid signals reach the context", "[lua][strategy][signals]") {
  ScriptHost host;
  TestStrategyContext ctx;
  StrategyScript script(host, fixture("emit_probe.lua"), ctx, {});
  script.on_init();
  script.on_bar(kBar);
  REQUIRE(ctx.signals.size() == 2);
  CHECK(ctx.signals[0].symbol == 1);
  CHECK(ctx.signals[0].intention == Intention::OpenLong);
  CHECK(ctx.signals[0].price == 10.5);
  CHECK(ctx.signals[0].confidence == 0.75);
  CHECK(std::isnan(ctx.signals[0].stop_loss));
  CHECK(ctx.signals[0].tag == "t1");
  CHECK(ctx.signals[1].symbol == 1);
  CHECK(ctx.signals[1].intention == Intention::CloseShort);
  CHECK(ctx.signals[1].stop_loss == 9);
  CHECK(ctx.signals[1].take_profit == 12);
}

TEST_CASE("strategy: invalid signals fail with the script's file and line", "[lua][strategy][signals]") {
  struct Case {
    const char* mode;
    int line;
    const char* text;
  };
  const Case cases[] = {
      {"unknown_intention", 12, "intention must be \"open_long\", \"close_long\", \"open_short\" or \"close_short\", got buy"},
      {"nan_price", 14, "price must be a finite number, got nan"},
      {"unknown_symbol", 16, "ctx:emit_signal: unknown symbol 'ZZZ'"},
      {"unknown_handle", 18, "ctx:emit_signal: unknown symbol handle 77"},
      {"unknown_key", 20, "unknown field 'qty'"},
      {"symbol_lookup", 24, "ctx:symbol: unknown symbol 'NOPE'"},
  };
  for (const auto& c : cases) {
    INFO(c.mode);
    ScriptHost host;
    TestStrategyContext ctx;
    StrategyScript script(host, fixture("emit_probe.lua"), ctx, {{"mode", string_param(c.mode, 3)}});
    script.on_init();
    auto e = script_error([&] { script.on_bar(kBar); });
    CHECK(e.kind() == ScriptError::Kind::Runtime);
    CHECK(e.script() == fixture("emit_probe.lua"));
    CHECK(e.callback() == "on_bar");
    CHECK_THAT(e.message(), Catch::StartsWith(fixture("emit_probe.lua") + ":" + std::to_string(c.line) + ": "));
    CHECK_THAT(e.message(), Catch::Contains(c.text));
    CHECK(ctx.signals.empty());
  }
}

TEST_CASE("strategy: signals per callback are capped", "[lua][strategy][signals]") {
  ScriptLimits limits;
  limits.max_signals_per_callback = 4;
  ScriptHost host(limits);
  TestStrategyContext ctx;
  StrategyScript script(host, fixture("emit_probe.lua"), ctx, {{"mode", string_param("flood", 3)}});
  script.on_init();
  auto e = script_error([&] { script.on_bar(kBar); });
  CHECK_THAT(e.message(), Catch::Contains("more than 4 signals in one callback"));
  CHECK(ctx.signals.size() == 4);
}

TEST_CASE("strategy: a syntax error is a Load error with file and line", "[lua][strategy][errors]") {
  ScriptHost host;
  TestStrategyContext ctx;
  auto e = script_error([&] { StrategyScript(host, fixture("syntax_error.lua"), ctx, {}); });
  CHECK(e.kind() == ScriptError::Kind::Load);
  CHECK(e.script() == fixture("syntax_error.lua"));
  CHECK_THAT(e.message(), Catch::StartsWith(fixture("syntax_error.lua") + ":4: unexpected symbol near '='"));
}

TEST_CASE("strategy: a runtime error names file, line, callback and has a traceback", "[lua][strategy][errors]") {
  ScriptHost host;
  TestStrategyContext ctx;
  StrategyScript script(host, fixture("runtime_error.lua"), ctx, {});
  script.on_init();
  auto e = script_error([&] { script.on_bar(kBar); });
  CHECK(e.kind() == ScriptError::Kind::Runtime);
  CHECK(e.callback() == "on_bar");
  CHECK(e.message() == fixture("runtime_error.lua") + ":2: division by zero in helper");
  CHECK_THAT(e.traceback(), Catch::StartsWith("stack traceback:"));
  CHECK_THAT(e.traceback(), Catch::Contains("runtime_error.lua:9"));
  CHECK_THAT(std::string(e.what()), Catch::Contains("in on_bar: "));
}

TEST_CASE("strategy: error objects never run metamethods", "[lua][strategy][errors]") {
  ScriptHost host;
  TestStrategyContext ctx;
  StrategyScript with_nil(host, fixture("error_objects.lua"), ctx, {});
  with_nil.on_init();
  auto e = script_error([&] { with_nil.on_bar(kBar); });
  CHECK(e.kind() == ScriptError::Kind::Runtime);
  // The gate names the line that raised a non-string error object.
  CHECK_THAT(e.message(), Catch::EndsWith("error_objects.lua:7: (error object is a nil value)"));

  StrategyScript with_table(host, fixture("error_objects.lua"), ctx, {{"mode", string_param("table", 2)}});
  with_table.on_init();
  e = script_error([&] { with_table.on_bar(kBar); });
  CHECK_THAT(e.message(), Catch::EndsWith("error_objects.lua:9: (error object is a table value)"));
  CHECK_THAT(e.traceback(), Catch::Contains("error_objects.lua:9"));

  StrategyScript typo(host, fixture("error_objects.lua"), ctx, {{"mode", string_param("field", 2)}});
  typo.on_init();
  e = script_error([&] { typo.on_bar(kBar); });
  CHECK_THAT(e.message(), Catch::Contains("error_objects.lua:11: bar has no field clsoe"));
}

TEST_CASE("strategy: time budget stops on_bar even with pcall in the loop", "[lua][strategy][timeout]") {
  for (const char* mode : {"plain", "pcall"}) {
    INFO(mode);
    ScriptLimits limits;
    limits.callback_seconds = 0.2;
    ScriptHost host(limits);
    TestStrategyContext ctx;
    StrategyScript script(host, fixture("busy_loop.lua"), ctx, {{"mode", string_param(mode, 2)}});
    script.on_init();
    auto e = script_error([&] { script.on_bar(kBar); });
    CHECK(e.kind() == ScriptError::Kind::Timeout);
    CHECK(e.callback() == "on_bar");
    CHECK_THAT(e.message(), Catch::StartsWith(fixture("busy_loop.lua") + ":"));
    script.on_stop();  // the host survives and runs the next callback
    REQUIRE(ctx.logs.size() == 1);
    CHECK_THAT(ctx.logs[0].second, Catch::EndsWith("still alive"));
  }
}

TEST_CASE("strategy: a memory bomb gives Memory and later callbacks still run", "[lua][strategy][memory]") {
  ScriptLimits limits;
  limits.memory_bytes = 24u << 20;
  // The cap, not the clock, must stop the bomb: under ASan on a busy machine
  // filling 24 MB takes longer than the default 1 s.
  limits.callback_seconds = 60;
  ScriptHost host(limits);
  TestStrategyContext ctx;
  StrategyScript script(host, fixture("memory_bomb.lua"), ctx, {});
  auto e = script_error([&] { script.on_bar(kBar); });
  CHECK(e.kind() == ScriptError::Kind::Memory);
  CHECK(e.callback() == "on_bar");
  script.on_stop();
  REQUIRE(ctx.logs.size() == 1);
  CHECK_THAT(ctx.logs[0].second, Catch::EndsWith("recovered 1000"));
}

TEST_CASE("strategy: ctx cannot be tampered with or used after its run", "[lua][strategy][ctx]") {
  ScriptHost host;
  TestStrategyContext ctx;
  StrategyScript script(host, fixture("ctx_probe.lua"), ctx, {});
  script.on_init();
  REQUIRE(ctx.logs.size() == 1);
  CHECK_THAT(ctx.logs[0].second, Catch::EndsWith("ctx_probe ok"));
  script.on_stop();  // still the same run: fine
  host.retire_objects();
  auto e = script_error([&] { script.on_stop(); });
  CHECK_THAT(e.message(), Catch::Contains("ctx:cash: this object belongs to a run that has ended"));
}

TEST_CASE("strategy: missing on_bar, wrong kind and non-table results are Load errors", "[lua][strategy][errors]") {
  ScriptHost host;
  TestStrategyContext ctx;
  auto e = script_error([&] { StrategyScript(host, fixture("bad_risk.lua"), ctx, {}); });
  CHECK(e.kind() == ScriptError::Kind::Load);
  CHECK(e.message() == "this script is a risk policy, not a strategy");
  e = script_error([&] { StrategyScript(host, fixture("registry/user/risk/beta_risk.lua"), ctx, {}); });
  CHECK(e.kind() == ScriptError::Kind::Load);
  e = script_error([&] { StrategyScript(host, fixture("modules/qt_test_helpers.lua"), ctx, {}); });
  CHECK(e.message() == "the script must define on_bar");
  e = script_error([&] { StrategyScript(host, fixture("does_not_exist.lua"), ctx, {}); });
  CHECK(e.message() == "cannot read the script file");
}

TEST_CASE("strategy: require loads modules from the script roots only", "[lua][strategy][require]") {
  ScriptHost host({}, {fixture("modules")});
  TestStrategyContext ctx;
  StrategyScript script(host, fixture("uses_module.lua"), ctx, {});
  script.on_init();
  REQUIRE(ctx.logs.size() == 1);
  CHECK_THAT(ctx.logs[0].second, Catch::EndsWith("twice 42 1"));
  REQUIRE(host.required_files().size() == 1);
  CHECK_THAT(host.required_files()[0], Catch::EndsWith("modules/qt_test_helpers.lua"));
  // Cached per state: a second require returns the same table.
  CHECK(host.evaluate("return require('qt_test_helpers') == require('qt_test_helpers')") == "true");

  StrategyScript escape(host, fixture("escape_require.lua"), ctx, {});
  auto e = script_error([&] { escape.on_init(); });
  CHECK_THAT(e.message(), Catch::Contains("invalid module name '..etc.passwd'"));
}
