// The sandbox: what scripts cannot reach, and the budgets that stop them.
#include <catch2/catch.hpp>

#include "../lua/lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_host.hpp"

using namespace qtrader;
using qtrader::test::run_in_child;

namespace {

ScriptError eval_error(ScriptHost& host, const std::string& source) {
  try {
    host.evaluate(source);
  } catch (const ScriptError& e) {
    return e;
  }
  FAIL("expected a ScriptError from: " << source);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("sandbox: dangerous globals are absent", "[lua][sandbox]") {
  ScriptHost host;
  for (const char* name : {"io", "os", "debug", "package", "ffi", "jit", "load", "loadstring", "loadfile",
                           "dofile", "getfenv", "setfenv", "newproxy", "collectgarbage", "gcinfo", "module"}) {
    INFO(name);
    CHECK(host.evaluate(std::string("return type(") + name + ")") == "nil");
    CHECK(host.evaluate(std::string("return type(_G.") + name + ")") == "nil");
  }
  CHECK(host.evaluate("return type(string.dump)") == "nil");
  CHECK(host.evaluate("return type(('').dump)") == "nil");
  CHECK(host.evaluate("return type(math.randomseed)") == "nil");
  CHECK(host.evaluate("return type(table.foreach)") == "nil");
  // What remains works.
  CHECK(host.evaluate("return string.format('%d-%s', 7, ('ab'):upper())") == "7-AB");
  CHECK(host.evaluate("return select('#', pcall(error))") == "2");
  CHECK(host.evaluate("return bit.band(12, 10)") == "8");
  CHECK(host.evaluate("return select(2, xpcall(function() error('e', 0) end, function(m) return 'handled ' .. m end))") ==
        "handled e");
  CHECK(host.evaluate("return select(2, xpcall(function(a, b) return a + b end, print, 2, 3))") == "5");
}

TEST_CASE("sandbox: the shared string metatable is sealed", "[lua][sandbox]") {
  ScriptHost host;
  CHECK(host.evaluate("return getmetatable('')") == "false");
  // A script may change its own copy of `string`, not what other scripts see.
  CHECK(host.evaluate("string.upper = nil; return type(string.upper)") == "nil");
  CHECK(host.evaluate("return ('x'):upper()") == "X");
  CHECK(host.evaluate("return type(string.upper)") == "function");
}

TEST_CASE("sandbox: require cannot reach ffi or the file system", "[lua][sandbox]") {
  ScriptHost host;
  auto e = eval_error(host, "return require('ffi')");
  CHECK(e.kind() == ScriptError::Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("module 'ffi' not found"));
  e = eval_error(host, "return require('../../etc/passwd')");
  CHECK_THAT(e.message(), Catch::Contains("invalid module name"));
}

TEST_CASE("sandbox: bytecode is refused", "[lua][sandbox]") {
  ScriptHost host;
  auto e = eval_error(host, std::string("\x1bLJ\x02\x00", 4));
  CHECK(e.kind() == ScriptError::Kind::Load);
  CHECK_THAT(e.message(), Catch::Contains("wrong mode"));
}

TEST_CASE("sandbox: string.rep refuses huge results", "[lua][sandbox]") {
  ScriptHost host;
  auto e = eval_error(host, "return ('x'):rep(2^30)");
  CHECK(e.kind() == ScriptError::Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("string.rep: result too large"));
  e = eval_error(host, "return string.rep('', 2^24, ('y'):rep(1000))");
  CHECK_THAT(e.message(), Catch::Contains("string.rep: result too large"));
  CHECK(host.evaluate("return #('ab'):rep(3, ',')") == "8");
}

TEST_CASE("sandbox: math.random is seeded per run", "[lua][sandbox]") {
  ScriptLimits limits;
  limits.random_seed = 42;
  ScriptHost a(limits), b(limits);
  const char* draw = "local t = {} for i = 1, 5 do t[i] = math.random(1, 1000) end return table.concat(t, ',')";
  const std::string first = a.evaluate(draw);
  CHECK(first == b.evaluate(draw));
  CHECK(first != a.evaluate(draw));
  CHECK(a.evaluate("local x = math.random() return x >= 0 and x < 1") == "true");
}

TEST_CASE("sandbox: nested coroutines end in an error, not a crash", "[lua][sandbox][fork]") {
  const int status = run_in_child([] {
    ScriptHost host;
    try {
      host.evaluate("local function f() return coroutine.wrap(f)() end return f()");
    } catch (const ScriptError& e) {
      return e.message().find("nesting too deep") != std::string::npos ? 0 : 4;
    }
    return 5;
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("sandbox: recursive gsub callbacks end in an error, not a crash", "[lua][sandbox][fork]") {
  const int status = run_in_child([] {
    ScriptHost host;
    try {
      host.evaluate("local function f(s) return (s:gsub('.', f)) end return f('ab')");
    } catch (const ScriptError& e) {
      return e.message().find("nesting too deep") != std::string::npos ? 0 : 4;
    }
    return 5;
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("sandbox: nesting counter resets for every call", "[lua][sandbox]") {
  ScriptHost host;
  // 40 nested resumes per call is fine, call after call.
  const char* nested =
      "local function f(n) if n == 0 then return 0 end "
      "local co = coroutine.wrap(function() return f(n - 1) + 1 end) return co() end return f(40)";
  CHECK(host.evaluate(nested) == "40");
  CHECK(host.evaluate(nested) == "40");
}

TEST_CASE("sandbox: an infinite loop is stopped by the time budget", "[lua][sandbox][timeout]") {
  ScriptLimits limits;
  limits.init_seconds = 0.2;
  ScriptHost host(limits);
  auto e = eval_error(host, "while true do end");
  CHECK(e.kind() == ScriptError::Kind::Timeout);
  CHECK_THAT(e.message(), Catch::Contains("time budget of 0.2 s exceeded"));
  // pcall inside the loop cannot swallow the kill.
  e = eval_error(host, "while true do pcall(function() while true do end end) end");
  CHECK(e.kind() == ScriptError::Kind::Timeout);
  // xpcall with a handler that loops forever neither.
  e = eval_error(host, "while true do xpcall(function() while true do end end, function() while true do end end) end");
  CHECK(e.kind() == ScriptError::Kind::Timeout);
  // The state is usable afterwards.
  CHECK(host.evaluate("return 1 + 1") == "2");
}

TEST_CASE("sandbox: a memory bomb gives Memory and the host recovers", "[lua][sandbox][memory]") {
  ScriptLimits limits;
  limits.memory_bytes = 16u << 20;
  ScriptHost host(limits);
  auto e = eval_error(host, "local t = {} for i = 1, 1e9 do t[i] = {i} end");
  CHECK(e.kind() == ScriptError::Kind::Memory);
  CHECK_THAT(e.message(), Catch::Contains("not enough memory"));
  CHECK(host.memory_used() < limits.memory_bytes / 4);
  e = eval_error(host, "local s = 'x' while true do s = s .. s end");
  CHECK(e.kind() == ScriptError::Kind::Memory);
  CHECK(host.evaluate("local t = {} for i = 1, 1000 do t[i] = i end return #t") == "1000");
}

TEST_CASE("sandbox: deep recursion is a clean error", "[lua][sandbox]") {
  ScriptHost host;
  auto e = eval_error(host, "local function f() return 1 + f() end return f()");
  CHECK(e.kind() == ScriptError::Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("stack overflow"));
  e = eval_error(host, "local t = setmetatable({}, {}) getmetatable(t).__index = function(s, k) return s[k] end return t.x");
  CHECK_THAT(e.message(), Catch::Contains("stack overflow"));
}
