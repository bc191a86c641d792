// Runs one test file: a fresh sandboxed state, the kit preloaded as the module
// "qtrader.testkit", the file's main chunk, then each declared case, every
// call through the gate.
#include "qtrader/lua/test_file.hpp"

#include <fmt/format.h>

#include "../host_functions.hpp"
#include "../host_state.hpp"
#include "../lua_raw.hpp"
#include "../script_module.hpp"
#include "../trampoline.hpp"
#include "lua_value.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/lua_ref.hpp"
#include "qtrader/lua/script_host.hpp"
#include "testkit_module.hpp"

namespace qtrader {

namespace {

constexpr const char* kModuleName = "qtrader.testkit";

struct RunnerContext {
  const TestRunner* runner;
  std::string path;
};

// t.run's engine half: the request table in, the results table out.
int run_backtest(lua_State* L) {
  auto* ctx = static_cast<RunnerContext*>(lua_touserdata(L, lua_upvalueindex(1)));
  const ParamValue request = read_lua_value(L, 1, "run");
  const ParamValue results = (*ctx->runner)(request, ctx->path);
  lua_settop(L, 0);
  push_param_value(L, results);
  return 1;
}

std::string failure_text(const ScriptError& e) {
  return e.message().empty() ? std::string(e.what()) : e.message();
}

// Leaves the kit's module table on the stack, registered for require.
void load_module(ScriptHost& host, RunnerContext& ctx, const std::string& path) {
  lua_State* L = host.state();
  HostState& h = host.host_state();
  if (load_sandboxed_chunk(L, h, kTestkitModule, "=qtrader.testkit") != 0) {
    std::string message = lua_tostring(L, -1);
    lua_pop(L, 1);
    throw ScriptError(ScriptError::Kind::Load, kModuleName, "", message);
  }
  lua_pushlightuserdata(L, &ctx);
  lua_pushcclosure(L, lj_cfunc<run_backtest>, 1);
  host.call(1, 1, path, "<qtrader.testkit>", h.limits.init_seconds);
  lua_rawgeti(L, LUA_REGISTRYINDEX, h.loaded_modules_ref);
  lua_pushfstring(L, "=%s", kModuleName);  // preloaded: require finds it by name
  lua_pushvalue(L, -3);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

struct DeclaredCase {
  std::string name;
  LuaRef body;
};

// The cases the module recorded while the file's main chunk ran.
std::vector<DeclaredCase> declared_cases(ScriptHost& host, const LuaRef& module, const std::string& path) {
  lua_State* L = host.state();
  module.push(L);
  raw_field(L, -1, "_cases");
  lua_remove(L, -2);
  host.call(0, 1, path, "<qtrader.testkit>", host.limits().init_seconds);
  std::vector<DeclaredCase> out;
  const int n = static_cast<int>(lua_objlen(L, -1));
  for (int i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, i);
    raw_field(L, -1, "name");
    std::string_view name;
    raw_string(L, -1, name);
    DeclaredCase c{std::string(name), {}};
    lua_pop(L, 1);
    raw_field(L, -1, "body");
    c.body = LuaRef::pop(L);
    lua_pop(L, 1);
    out.push_back(std::move(c));
  }
  lua_pop(L, 1);
  return out;
}

}  // namespace

TestFileResult run_test_file(const std::string& path, const ScriptLimits& limits,
                             std::vector<std::string> module_roots, const TestRunner& runner) {
  TestFileResult result;
  result.path = path;
  RunnerContext ctx{&runner, path};
  try {
    ScriptHost host(limits, std::move(module_roots));
    lua_State* L = host.state();
    load_module(host, ctx, path);
    const LuaRef module = LuaRef::pop(L);

    std::string source;
    if (!read_text_file(path, source)) {
      result.error = fmt::format("{}: cannot read the test file", path);
      return result;
    }
    if (load_sandboxed_chunk(L, host.host_state(), source, "@" + path) != 0) {
      result.error = lua_tostring(L, -1);
      lua_pop(L, 1);
      return result;
    }
    host.call(0, 0, path, "<main chunk>", limits.init_seconds);

    std::vector<DeclaredCase> cases = declared_cases(host, module, path);
    if (cases.empty()) {
      result.error = fmt::format("{}: declares no test (t.test(\"name\", function() ... end))", path);
      return result;
    }
    for (auto& c : cases) {
      TestCaseResult r;
      r.name = c.name;
      try {
        c.body.push(L);
        const std::string callback = fmt::format("test \"{}\"", c.name);
        host.call(0, 0, path, callback.c_str(), limits.init_seconds);
        r.passed = true;
      } catch (const ScriptError& e) {
        r.message = failure_text(e);
        r.traceback = e.traceback();
      }
      result.cases.push_back(std::move(r));
    }
  } catch (const ScriptError& e) {
    result.error = e.message().find(path) == std::string::npos ? fmt::format("{}: {}", path, failure_text(e))
                                                               : failure_text(e);
  } catch (const std::exception& e) {
    result.error = fmt::format("{}: {}", path, e.what());
  }
  return result;
}

}  // namespace qtrader
