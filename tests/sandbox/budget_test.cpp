// Threats 6-10: time and memory budgets, and the single C calls that could
// get around them.
#include <chrono>

#include "sandbox_support.hpp"

using namespace qtrader;
using namespace qtrader::sandbox_test;
using Kind = ScriptError::Kind;

namespace {

ScriptLimits short_budget() {
  ScriptLimits limits;
  limits.callback_seconds = 0.1;
  limits.init_seconds = 0.2;
  return limits;
}

}  // namespace

TEST_CASE("threat 6: endless loops are stopped at the budget, naming the line", "[sandbox][t6][timeout]") {
  ScriptHost host(short_budget());
  for (const char* loop : {"while true do end", "for i = 1, 1e18 do end", "repeat local x = 1 until false",
                           "local function f() return f() end f()"}) {
    INFO(loop);
    auto e = on_bar_error(host, "t6", loop, Kind::Timeout);
    CHECK_THAT(e.message(), Catch::EndsWith("time budget of 0.1 s exceeded"));
  }
  // on_init has its own, longer budget.
  const std::string path = write_file("t6_init.lua",
                                      "return { name = 't6_init',\n"
                                      "  on_init = function(ctx) while true do end end,\n"
                                      "  on_bar = function() end }");
  TestStrategyContext ctx;
  StrategyScript script(host, path, ctx, {});
  auto e = script_error([&] { script.on_init(); });
  CHECK(e.kind() == Kind::Timeout);
  CHECK(e.callback() == "on_init");
  CHECK(e.message() == path + ":2: time budget of 0.2 s exceeded");
  check_host_alive(host);
}

TEST_CASE("threat 7: pcall, xpcall, coroutines and callbacks from C cannot swallow the timeout",
          "[sandbox][t7][timeout]") {
  ScriptHost host(short_budget());
  const char* swallowers[] = {
      "while true do pcall(function() while true do end end) end",
      "while true do xpcall(function() while true do end end, function(m) return m end) end",
      "while true do xpcall(function() while true do end end, function() while true do end end) end",
      "while true do coroutine.resume(coroutine.create(function() while true do end end)) end",
      "while true do pcall(coroutine.wrap(function() while true do end end)) end",
      "while true do pcall(string.gsub, 'abc', '.', function() while true do end end) end",
      "while true do pcall(table.sort, {3, 2, 1}, function(a, b) while true do end end) end",
      "while true do local ok, e = pcall(error, 'x') end",
  };
  for (const char* attack : swallowers) {
    INFO(attack);
    auto e = on_bar_error(host, "t7", attack, Kind::Timeout, 0);
    CHECK_THAT(e.message(), Catch::Contains("time budget of 0.1 s exceeded"));
  }
  // The kill is per call: the next call has its full budget again.
  CHECK(host.evaluate("local n = 0 for i = 1, 1e5 do n = n + 1 end return n") == "100000");
}

// The watchdog times each call on its own: calls that each finish inside the
// budget are never killed, however long they run together.
TEST_CASE("the time budget is per call: short calls outlasting it together are not killed",
          "[sandbox][timeout]") {
  ScriptLimits limits;
  limits.init_seconds = 0.1;  // evaluate() runs with the init budget
  ScriptHost host(limits);
  const auto start = std::chrono::steady_clock::now();
  int calls = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500)) {
    CHECK(host.evaluate("local n = 0 for i = 1, 2e5 do n = n + 1 end return n") == "200000");
    ++calls;
  }
  CHECK(calls > 5);  // each call well inside 0.1 s, together five budgets and more
}

TEST_CASE("threat 8: catastrophic patterns are refused before the C matcher runs", "[sandbox][t8]") {
  ScriptHost host;
  // ("a"):rep(200):find('.-.-.-.-b') runs > 20 s inside one C call, where no hook reaches.
  auto e = on_bar_error(host, "t8_find", "local s = ('a'):rep(200):find('.-.-.-.-b')", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("pattern too complex"));
  on_bar_error(host, "t8_match", "local s = ('a'):rep(5000):match('(.*)(.*)(.*)b')", Kind::Runtime);
  on_bar_error(host, "t8_gmatch", "for w in ('a'):rep(5000):gmatch('.-.-.-b') do end", Kind::Runtime);
  on_bar_error(host, "t8_gsub", "local s = string.gsub(('a'):rep(5000), '.*.*.*b', '')", Kind::Runtime);
  // Ordinary use is untouched.
  CHECK(host.evaluate("return ('2024-01-31'):match('(%d+)-(%d+)-(%d+)')") == "2024");
  CHECK(host.evaluate("return select(2, ('a,b;c'):gsub('[,;]', ' '))") == "2");
  CHECK(host.evaluate("return ('x'):rep(100000):find('y', 1, true) == nil") == "true");
  CHECK(host.evaluate("return #(('a'):rep(100000):match('^(a*)$'))") == "100000");
  CHECK(host.evaluate("local n = 0 for k, v in ('a=1, b=2'):gmatch('(%w+)=(%w+)') do n = n + v end return n") ==
        "3");
}

TEST_CASE("threat 9: memory bombs hit the cap and a full collection makes the state usable again",
          "[sandbox][t9][memory]") {
  ScriptLimits limits;
  limits.memory_bytes = 24u << 20;
  ScriptHost host(limits);
  const char* bombs[] = {
      "local t = {} for i = 1, 1e9 do t[i] = {i} end",
      "local s = 'x' while true do s = s .. s end",
      "local t = {} for i = 1, 1e8 do t[i] = ('x'):rep(1000) .. i end",
      "local t = {} for i = 1, 1e6 do t[i] = ('y'):rep(1000) end local s = table.concat(t)",
      "coroutine.wrap(function() local t = {} for i = 1, 1e9 do t[i] = {i} end end)()",
  };
  for (const char* bomb : bombs) {
    INFO(bomb);
    on_bar_error(host, "t9", bomb, Kind::Memory, 0);
    CHECK(host.memory_used() < limits.memory_bytes / 2);
  }
  // A bomb whose out-of-memory errors are swallowed by pcall ends as Memory or
  // Timeout, never as a wedged state.
  ScriptLimits tight = limits;
  tight.callback_seconds = 0.3;
  ScriptHost host2(tight);
  const std::string path =
      attack_script("t9_swallow", "while true do pcall(function() local t = {} for i = 1, 1e9 do t[i] = {} end end) end");
  TestStrategyContext ctx;
  StrategyScript script(host2, path, ctx, {});
  auto e = script_error([&] { script.on_bar(kBar); });
  CHECK((e.kind() == Kind::Memory || e.kind() == Kind::Timeout));
  script.on_stop();
  CHECK(ctx.logs.size() == 1);
  check_host_alive(host2);
  check_host_alive(host);
}

TEST_CASE("threat 10: string.rep is capped, separator included", "[sandbox][t10]") {
  ScriptHost host;
  for (const char* attack : {"local s = string.rep('x', 2^30)", "local s = ('x'):rep(2^24 + 1)",
                             "local s = string.rep('', 2^24, ('y'):rep(1000))",
                             "local s = string.rep('ab', 2^23 + 1)"}) {
    INFO(attack);
    auto e = on_bar_error(host, "t10", attack, Kind::Runtime);
    CHECK_THAT(e.message(), Catch::Contains("string.rep: result too large"));
  }
  CHECK(host.evaluate("return #('x'):rep(2^20)") == "1048576");
  CHECK(host.evaluate("return ('ab'):rep(3, '-')") == "ab-ab-ab");
  CHECK(host.evaluate("return ('ab'):rep(0) .. ('ab'):rep(-1) .. '|'") == "|");
}
