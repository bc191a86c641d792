// Threats 11-16: the attacks that crash an unprotected LuaJIT host (SIGSEGV or
// PANIC). Each runs in a forked child, in the default mode and with the JIT on
// for scripts (trusted mode), and must end in a clean ScriptError.
#include "sandbox_support.hpp"

using namespace qtrader;
using namespace qtrader::sandbox_test;
using Kind = ScriptError::Kind;

namespace {

// Child exit codes.
constexpr int kClean = 0;        // the expected ScriptError (or none when none expected), host alive
constexpr int kWrongError = 10;  // a ScriptError, but not the expected one
constexpr int kNoError = 11;     // the attack ran to completion
constexpr int kDeadHost = 12;    // the host could not run code afterwards

// Runs `attack` as on_bar in a child; the error's message must contain
// `expect` (any message when empty) and the host must then evaluate code.
int attack_in_child(const std::string& name, const std::string& attack, const std::string& expect,
                    bool trusted, bool error_expected, Kind expected_kind) {
  const std::string path = attack_script(name + (trusted ? "_trusted" : ""), attack);
  return exit_code_in_child([&] {
    ScriptLimits limits;
    limits.jit_for_scripts = trusted;
    limits.memory_bytes = 64u << 20;
    // These attacks are about crashes, not time: a memory bomb that fills
    // 64 MB in the interpreter can pass the default 1 s budget on a loaded
    // machine and would then fail for the wrong reason (budget_test.cpp
    // tests the budget).
    limits.callback_seconds = 10.0;
    ScriptHost host(limits);
    TestStrategyContext ctx;
    int code = error_expected ? kNoError : kClean;
    {
      StrategyScript script(host, path, ctx, {});
      try {
        script.on_bar(kBar);
      } catch (const ScriptError& e) {
        const bool located = e.script() == path && e.callback() == "on_bar";
        const bool kind_ok = e.kind() == expected_kind ||
                             (expected_kind == Kind::Runtime && e.kind() == Kind::ErrorInHandler);
        const bool text_ok = expect.empty() || e.message().find(expect) != std::string::npos;
        code = located && kind_ok && text_ok && error_expected ? kClean : kWrongError;
        if (code != kClean) std::fprintf(stderr, "%s: unexpected: %s\n", name.c_str(), e.what());
      }
      try {
        script.on_stop();
      } catch (const ScriptError&) {
        return kDeadHost;
      }
    }
    try {
      if (host.evaluate("local t = {} for i = 1, 10 do t[i] = {} end return #t") != "10") return kDeadHost;
    } catch (const ScriptError&) {
      return kDeadHost;
    }
    return code;  // ~ScriptHost closes the state: finalizers must not panic there either
  });
}

void check_attack(const std::string& name, const std::string& attack, const std::string& expect,
                  bool error_expected = true, Kind kind = Kind::Runtime) {
  for (bool trusted : {false, true}) {
    INFO(name << (trusted ? " (trusted mode)" : " (strict mode)") << ": " << attack);
    CHECK(attack_in_child(name, attack, expect, trusted, error_expected, kind) == kClean);
  }
}

}  // namespace

TEST_CASE("threat 11: no finalizers reach scripts and table __gc is inert", "[sandbox][t11][fork]") {
  check_attack("t11_newproxy", "local p = newproxy(true)", "a nil value");
  // Lua 5.1 ignores __gc on tables: garbage with an erroring "finalizer" is
  // collected by the GC steps of a busy loop and by lua_close.
  check_attack("t11_table_gc",
               "for i = 1, 2e5 do setmetatable({}, { __gc = function() error('finalizer ran') end }) end",
               "", false);
  // The same garbage collected after an out-of-memory error (the gate's full GC).
  check_attack("t11_gc_after_oom",
               "for i = 1, 1e3 do setmetatable({}, { __gc = function() error('finalizer ran') end }) end\n"
               "local t = {} for i = 1, 1e9 do t[i] = {i} end",
               "not enough memory", true, Kind::Memory);
}

TEST_CASE("threat 12: nested coroutines are capped before the C stack overflows", "[sandbox][t12][fork]") {
  check_attack("t12_resume",
               "local function f() local co = coroutine.create(f) local ok, e = coroutine.resume(co) "
               "if not ok then error(e, 0) end end f()",
               "nesting too deep");
  check_attack("t12_wrap_in_gsub",
               "local function f() return coroutine.wrap(function() return ('x'):gsub('.', f) end)() end f()",
               "nesting too deep");
}

TEST_CASE("threat 13: recursive gsub replacements are capped", "[sandbox][t13][fork]") {
  check_attack("t13_function", "local function f(s) return (s:gsub('.', f)) end f('ab')", "nesting too deep");
  // A replacement table whose __index recurses through gsub.
  check_attack("t13_table_index",
               "local t t = setmetatable({}, { __index = function(_, k) return (('ab'):gsub('.', t)) end }) "
               "local s = ('ab'):gsub('.', t)",
               "");
}

TEST_CASE("threat 14: deep recursion through metamethods and C functions is a clean error",
          "[sandbox][t14][fork]") {
  const char* attacks[] = {
      "local function f() return 1 + f() end f()",
      "local mt = {} mt.__index = function(t, k) return t[k] end local x = setmetatable({}, mt).x",
      "local mt = {} mt.__newindex = function(t, k, v) t[k] = v end setmetatable({}, mt).x = 1",
      "local mt = {} mt.__eq = function(a, b) return a == b end "
      "local a, b = setmetatable({}, mt), setmetatable({}, mt) local r = a == b",
      "local mt = {} mt.__lt = function(a, b) return a < b end "
      "local a, b = setmetatable({}, mt), setmetatable({}, mt) local r = a < b",
      "local mt = {} mt.__concat = function(a, b) return a .. b end local r = setmetatable({}, mt) .. 'x'",
      "local mt = {} mt.__call = function(self) local r = self() return r end setmetatable({}, mt)()",
      // tostring tail-calls __tostring: without a local this would be a loop, not a recursion.
      "local mt = {} mt.__tostring = function(t) local s = tostring(t) return s end tostring(setmetatable({}, mt))",
      "local mt = {} mt.__tostring = function(t) local s = string.format('%s', t) return s end "
      "string.format('%s', setmetatable({}, mt))",
      "local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end table.sort({3, 2, 1}, cmp)",
      "local function f() pcall(f) error('x') end f()",
      "local function f() xpcall(f, print) error('x') end f()",
      "local function f() return select('#', unpack({}, 1, 1e8)) end f()",
  };
  int n = 0;
  for (const char* attack : attacks) check_attack("t14_" + std::to_string(n++), attack, "");
}

TEST_CASE("threat 15: error objects never run their metamethods", "[sandbox][t15]") {
  ScriptHost host;
  const struct {
    const char* attack;
    const char* message;
  } cases[] = {
      {"error(setmetatable({}, { __tostring = function() error('tostring ran') end }))",
       "(error object is a table value)"},
      {"error(setmetatable({}, { __tostring = function() while true do end end }))", "(error object is a table value)"},
      {"error(setmetatable({}, { __index = function() error('index ran') end }))", "(error object is a table value)"},
      {"error(nil)", "(error object is a nil value)"},
      {"error(true)", "(error object is a boolean value)"},
      {"error(print)", "(error object is a function value)"},
      {"error(coroutine.create(print))", "(error object is a thread value)"},
      {"error(ctx)", "(error object is a userdata value)"},
      {"coroutine.wrap(function() error({}) end)()", "(error object is a table value)"},
  };
  for (const auto& c : cases) {
    INFO(c.attack);
    auto e = on_bar_error(host, "t15", c.attack, Kind::Runtime);
    CHECK_THAT(e.message(), Catch::EndsWith(c.message));
  }
  // Numbers and strings keep their text and position.
  auto e = on_bar_error(host, "t15_number", "error(42)", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::EndsWith(":3: 42"));
  e = on_bar_error(host, "t15_level0", "error('plain', 0)", Kind::Runtime, 0);
  CHECK(e.message() == "plain");
}

TEST_CASE("threat 16: the host reads script tables raw and metatables never run", "[sandbox][t16]") {
  ScriptHost host;
  const char* trap = "setmetatable({}, { __index = function() error('metamethod ran') end, "
                     "__newindex = function() error('metamethod ran') end, "
                     "__len = function() error('metamethod ran') end })";
  auto e = on_bar_error(host, "t16_emit", std::string("ctx:emit_signal(") + trap + ")", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("ctx:emit_signal: symbol is required"));
  e = on_bar_error(host, "t16_log", std::string("ctx:log('info', ") + trap + ") error('logged', 0)", Kind::Runtime, 0);
  CHECK(e.message() == "logged");  // the log call itself succeeded without running the metamethods

  // The table a script returns.
  TestStrategyContext ctx;
  const std::string path = write_file("t16_module.lua", std::string("return ") + trap);
  auto load = script_error([&] { StrategyScript(host, path, ctx, {}); });
  CHECK(load.kind() == Kind::Load);
  CHECK(load.message() == "the script must define on_bar");
  const std::string params = write_file(
      "t16_params.lua", std::string("return { on_bar = function() end, params = ") + trap + " }");
  StrategyScript ok(host, params, ctx, {});
  CHECK(ok.params().empty());
  check_host_alive(host);
}
