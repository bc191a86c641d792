// Threats 6-10: time and memory budgets, and the single C calls that could
// get around them.
#include <chrono>
#include <thread>

#include "budget_attacks.hpp"
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
  for (const char* loop : kEndlessLoops) {
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

// The loops the JIT would compile (supervised_budget_test.cpp): in-process,
// strict mode keeps the JIT off, so the watchdog's hook stops each at its line.
TEST_CASE("threat 6: loops the JIT would compile are stopped in-process with the JIT off",
          "[sandbox][t6][t24][timeout]") {
  ScriptHost host(short_budget());
  for (const char* loop : kCompiledLoops) {
    INFO(loop);
    auto e = on_bar_error(host, "t6_jit", loop, Kind::Timeout, 0);
    CHECK_THAT(e.message(), Catch::EndsWith("time budget of 0.1 s exceeded"));
  }
}

TEST_CASE("threat 7: pcall, xpcall, coroutines and callbacks from C cannot swallow the timeout",
          "[sandbox][t7][timeout]") {
  ScriptHost host(short_budget());
  for (const char* attack : kSwallowers) {
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

// The budget is the calling thread's CPU time (watchdog.hpp): a process that
// waits for a core on a loaded machine, or a host call that waits on a file,
// does not spend it. Ten budgets of wall time still end any call.
TEST_CASE("the time budget counts CPU time and ten budgets of wall time end any call",
          "[sandbox][timeout]") {
  ScriptHost host(short_budget());  // 0.1 s a callback
  const std::string path = attack_script("cpu_budget", "ctx:log('info', 'a') ctx:log('info', 'b') ctx:log('info', 'c')");
  TestStrategyContext ctx;
  StrategyScript script(host, path, ctx, {});
  script.on_init();
  // 0.45 s of wall time in the host, almost no CPU: inside the budget.
  ctx.while_logging = [] { std::this_thread::sleep_for(std::chrono::milliseconds(150)); };
  CHECK_NOTHROW(script.on_bar(kBar));
  CHECK(ctx.logs.size() == 3);
  // 1.2 s of wall time, past ten budgets: stopped at the next instruction.
  ctx.while_logging = [] { std::this_thread::sleep_for(std::chrono::milliseconds(400)); };
  const ScriptError e = script_error([&] { script.on_bar(kBar); });
  CHECK(e.kind() == Kind::Timeout);
  CHECK_THAT(e.message(), Catch::EndsWith("time budget of 0.1 s exceeded"));
  // A loop burning CPU is stopped at its budget as before.
  on_bar_error(host, "cpu_budget_loop", "while true do end", Kind::Timeout);
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
  for (const char* bomb : kMemoryBombs) {
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
  for (const char* attack : kRepBombs) {
    INFO(attack);
    auto e = on_bar_error(host, "t10", attack, Kind::Runtime);
    CHECK_THAT(e.message(), Catch::Contains("string.rep: result too large"));
  }
  CHECK(host.evaluate("return #('x'):rep(2^20)") == "1048576");
  CHECK(host.evaluate("return ('ab'):rep(3, '-')") == "ab-ab-ab");
  CHECK(host.evaluate("return ('ab'):rep(0) .. ('ab'):rep(-1) .. '|'") == "|");
}

// Code no hook reaches: library functions LuaJIT writes in Lua (compiled as
// soon as they run hot, unless the whole JIT is off) and C loops whose length
// a script chooses. Each attack runs in a child with an alarm, so a hole fails
// this test instead of hanging it.
TEST_CASE("threat 24: library code the JIT or C would run cannot outlive the budget", "[sandbox][t24][timeout]") {
  for (const char* attack : kUnhookedWork) {
    INFO(attack);
    const int code = exit_code_in_child([&] {
      ScriptHost host(short_budget());
      const std::string path = attack_script("t24", attack);
      TestStrategyContext ctx;
      StrategyScript script(host, path, ctx, {});
      try {
        script.on_bar(kBar);
      } catch (const ScriptError& e) {
        // Stopped at the budget, refused up front, or out of memory; a hole
        // never gets here: the child's alarm ends it (exit 142).
        const std::string m = e.message();
        if (e.kind() == Kind::Timeout || e.kind() == Kind::Memory) return 0;
        if (m.find("too complex") != std::string::npos || m.find("out of bounds") != std::string::npos) return 0;
        return 4;
      }
      return 0;  // finished in linear time (a plain search): no hook needed
    });
    CHECK(code == 0);
  }
}

TEST_CASE("the guards of threat 24 keep Lua's results for ordinary use", "[sandbox][t24]") {
  ScriptHost host;
  // Plain searches: init counts from 1, negative from the end, past the end
  // searches the empty tail (LuaJIT's rules).
  CHECK(host.evaluate("return table.concat({('hello world'):find('o w', 1, true)}, ',')") == "5,7");
  CHECK(host.evaluate("return table.concat({('hello'):find('l', -2, true)}, ',')") == "4,4");
  CHECK(host.evaluate("return table.concat({('hello'):find('', 10)}, ',')") == "6,5");
  CHECK(host.evaluate("return table.concat({('hello'):find('', -100)}, ',')") == "1,0");
  CHECK(host.evaluate("return tostring(('hello'):find('z'))") == "nil");
  CHECK(host.evaluate("return (string.find(12345, 34))") == "3");
  CHECK(host.evaluate("return ('a.b'):find('.', 1, true)") == "2");
  CHECK(host.evaluate("return ('a.b'):find('.')") == "1");
  CHECK(host.evaluate("return tostring(('a+b'):find('+', 1, 'yes'))") == "2");
  // Bad arguments are still errors.
  auto e = script_error([&] { host.evaluate("return ('x'):find('x', {})"); });
  CHECK_THAT(e.message(), Catch::Contains("bad argument #3 to 'find'"));
  // table.insert inside 1..#t+1 and table.sort of any size give Lua's results.
  CHECK(host.evaluate("local t = {3, 1} table.insert(t, 1, 9) table.insert(t, 4, 5) table.insert(t, 0.0 + 2, 7) "
                      "return table.concat(t, ',')") == "9,7,3,1,5");
  CHECK(host.evaluate("local t = {} for i = 1, 10000 do t[i] = (i * 7919) % 10007 end table.sort(t) "
                      "local ok = true for i = 2, #t do ok = ok and t[i - 1] <= t[i] end return ok") == "true");
  CHECK(host.evaluate("local t = {} for i = 1, 10000 do t[i] = i end table.sort(t, function(a, b) return a > b end) "
                      "return t[1] .. ',' .. t[10000]") == "10000,1");
  e = script_error([&] { host.evaluate("local t = {} for i = 1, 5000 do t[i] = i end t[77] = 'x' table.sort(t)"); });
  CHECK_THAT(e.message(), Catch::Contains("attempt to compare"));
}
