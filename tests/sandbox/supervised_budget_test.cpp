// The budget threats (T6, T7, T9, T10, T24) with the JIT on, under the
// supervisor (docs/sandbox.md, "Supervised strict mode"): each attack runs in
// a supervised child whose calls a real parent watches. A call is stopped
// either by the child's own watchdog (interpreted code, with its line) or by
// the parent's SIGKILL at budget + grace (compiled code and C loops), which
// names the script and the callback. The test process is the parent: that it
// goes on to the next attack is the "parent alive" check.
#include <signal.h>

#include <chrono>
#include <cstdlib>

#include "budget_attacks.hpp"
#include "qtrader/lua/call_monitor.hpp"
#include "qtrader/lua/supervisor.hpp"
#include "sandbox_support.hpp"

using namespace qtrader;
using namespace qtrader::sandbox_test;
using Kind = ScriptError::Kind;
using How = SupervisedExit::How;

namespace {

// How the child's on_bar ended, as its exit status.
enum ChildOutcome : int { kFinished = 0, kTimeout = 10, kMemory = 11, kRefused = 12, kOtherError = 13, kDead = 14 };

ScriptLimits short_budget() {
  ScriptLimits limits;
  limits.callback_seconds = 0.1;
  limits.init_seconds = 0.2;
  return limits;
}

struct Supervised {
  SupervisedExit exit;
  double wall_seconds = 0;
};

// Runs the strategy at `path` once (main chunk, then on_bar) in a supervised
// child, then on_stop to show the child's host still works after an error.
Supervised on_bar_supervised(const std::string& path, ScriptLimits limits) {
  const auto start = std::chrono::steady_clock::now();
  Supervised out;
  out.exit = run_supervised([&](const auto&) {
    ScriptHost host(limits);
    TestStrategyContext ctx;
    StrategyScript script(host, path, ctx, {});
    int code = kFinished;
    try {
      script.on_bar(kBar);
    } catch (const ScriptError& e) {
      const std::string m = e.message();
      if (e.kind() == Kind::Timeout) code = kTimeout;
      else if (e.kind() == Kind::Memory) code = kMemory;
      else if (m.find("too complex") != std::string::npos || m.find("out of bounds") != std::string::npos ||
               m.find("result too large") != std::string::npos)
        code = kRefused;
      else code = kOtherError;
    }
    script.on_stop();
    if (ctx.logs.empty()) return static_cast<int>(kDead);
    return code;
  });
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// The parent stopped on_bar of `path`, naming it, within budget + grace + slack.
void check_stopped_by_supervisor(const Supervised& r, const std::string& path) {
  INFO(r.exit.message());
  REQUIRE(r.exit.how == How::Overran);
  CHECK(r.exit.script == path);
  CHECK(r.exit.callback == "on_bar");
  CHECK(r.exit.budget_seconds == 0.1);
  CHECK(r.exit.ran_seconds >= 0.3);  // 0.1 s budget + 0.2 s grace
  CHECK(r.wall_seconds < 2.5);       // and not much later, on a loaded machine
  CHECK_THAT(r.exit.message(),
             Catch::StartsWith(path + " in on_bar: time budget of 0.1 s exceeded (stopped by the supervisor after "));
}

// Stopped one way or the other, in time.
void check_stopped(const Supervised& r, const std::string& path) {
  INFO(r.exit.message() << " exit " << r.exit.exit_code);
  if (r.exit.how == How::Overran) return check_stopped_by_supervisor(r, path);
  REQUIRE(r.exit.how == How::Exited);
  CHECK(r.exit.exit_code == kTimeout);
  CHECK(r.wall_seconds < 2.5);
}

}  // namespace

TEST_CASE("supervised: loops the JIT compiled are stopped by the parent, naming script and callback",
          "[sandbox][supervised][timeout]") {
  int n = 0;
  for (const char* loop : kCompiledLoops) {
    INFO(loop);
    // Proof that the child runs them compiled: in-process with the JIT off
    // the watchdog's hook stops each with its line (budget_test.cpp); here
    // only the parent can.
    const std::string path = attack_script("sv_jit" + std::to_string(n++), loop);
    check_stopped_by_supervisor(on_bar_supervised(path, short_budget()), path);
  }
}

TEST_CASE("supervised: threat 6 and 7 loops are stopped with the JIT on", "[sandbox][supervised][t6][t7][timeout]") {
  int n = 0;
  for (const char* loop : kEndlessLoops) {
    INFO(loop);
    const std::string path = attack_script("sv_t6_" + std::to_string(n++), loop);
    check_stopped(on_bar_supervised(path, short_budget()), path);
  }
  for (const char* loop : kSwallowers) {
    INFO(loop);
    const std::string path = attack_script("sv_t7_" + std::to_string(n++), loop);
    check_stopped(on_bar_supervised(path, short_budget()), path);
  }
}

TEST_CASE("supervised: threat 24 work no hook reaches cannot outlive budget and grace",
          "[sandbox][supervised][t24][timeout]") {
  int n = 0;
  for (const char* attack : kUnhookedWork) {
    INFO(attack);
    const std::string path = attack_script("sv_t24_" + std::to_string(n++), attack);
    const Supervised r = on_bar_supervised(path, short_budget());
    INFO(r.exit.message() << " exit " << r.exit.exit_code);
    if (r.exit.how == How::Overran) {
      check_stopped_by_supervisor(r, path);
      continue;
    }
    // Or stopped by the child's watchdog, refused up front, out of memory, or
    // finished in linear time (a plain search).
    REQUIRE(r.exit.how == How::Exited);
    CHECK((r.exit.exit_code == kTimeout || r.exit.exit_code == kRefused || r.exit.exit_code == kMemory ||
           r.exit.exit_code == kFinished));
    CHECK(r.wall_seconds < 2.5);
  }
}

TEST_CASE("supervised: memory bombs and string.rep hit the allocator cap with the JIT on",
          "[sandbox][supervised][t9][t10][memory]") {
  ScriptLimits limits = short_budget();
  limits.callback_seconds = 2.0;  // the bombs must meet the cap, not the clock
  limits.memory_bytes = 24u << 20;
  int n = 0;
  for (const char* bomb : kMemoryBombs) {
    INFO(bomb);
    const Supervised r = on_bar_supervised(attack_script("sv_t9_" + std::to_string(n++), bomb), limits);
    REQUIRE(r.exit.how == How::Exited);
    CHECK(r.exit.exit_code == kMemory);
  }
  for (const char* bomb : kRepBombs) {
    INFO(bomb);
    const Supervised r = on_bar_supervised(attack_script("sv_t10_" + std::to_string(n++), bomb), limits);
    REQUIRE(r.exit.how == How::Exited);
    CHECK(r.exit.exit_code == kRefused);
  }
}

TEST_CASE("supervised: a main chunk that loops is named as the main chunk with the init budget",
          "[sandbox][supervised][timeout]") {
  const std::string path = write_file("sv_main.lua", "local x = 0\nfor i = 1, 1e12 do x = x + i end\nreturn {}\n");
  const Supervised r = on_bar_supervised(path, short_budget());
  INFO(r.exit.message());
  REQUIRE(r.exit.how == How::Overran);
  CHECK(r.exit.script == path);
  CHECK(r.exit.callback == "<main chunk>");
  CHECK(r.exit.budget_seconds == 0.2);
  CHECK(r.exit.ran_seconds >= 0.4);
}

TEST_CASE("supervised: the budget is per call, however long the calls run together",
          "[sandbox][supervised][timeout]") {
  const SupervisedExit r = run_supervised([](const auto&) {
    ScriptLimits limits;
    limits.init_seconds = 0.1;
    ScriptHost host(limits);
    const auto start = std::chrono::steady_clock::now();
    int calls = 0;
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(800)) {
      if (host.evaluate("local n = 0 for i = 1, 2e5 do n = n + 1 end return n") != "200000") return 1;
      ++calls;
    }
    return calls > 5 ? 0 : 2;
  });
  INFO(r.message());
  CHECK(r.how == How::Exited);
  CHECK(r.exit_code == 0);
}

TEST_CASE("supervised: a child that crashes is a failure naming the signal, never a hang", "[sandbox][supervised]") {
  // The child inherits Catch's handlers for fatal signals: a real crash meets none.
  const SupervisedExit aborted = run_supervised([](const auto&) -> int {
    ::signal(SIGABRT, SIG_DFL);
    std::abort();
  });
  CHECK(aborted.how == How::Crashed);
  CHECK(aborted.signal == SIGABRT);
  CHECK(aborted.message() == "the run's process died of signal 6 (Aborted)");
  const SupervisedExit segv = run_supervised([](const auto&) -> int {
    ::signal(SIGSEGV, SIG_DFL);
    ::raise(SIGSEGV);
    return 0;
  });
  CHECK(segv.how == How::Crashed);
  CHECK(segv.message() == "the run's process died of signal 11 (Segmentation fault)");
}

TEST_CASE("supervised: exit status, results folder and address-space cap reach the parent",
          "[sandbox][supervised]") {
  const SupervisedExit r = run_supervised([](const auto& publish) {
    publish("/runs/x");
    return 7;
  });
  CHECK(r.how == How::Exited);
  CHECK(r.exit_code == 7);
  CHECK(r.results_dir == "/runs/x");
  CHECK(r.message().empty());
  // A C-side allocation beyond RLIMIT_AS fails in the child instead of taking the machine.
  SupervisorOptions options;
  options.address_space_bytes = std::size_t{1} << 30;
  const SupervisedExit capped = run_supervised(
      [](const auto&) {
        void* big = std::malloc(std::size_t{2} << 30);
        const int code = big ? 1 : 5;
        std::free(big);
        return code;
      },
      options);
  CHECK(capped.how == How::Exited);
  CHECK(capped.exit_code == 5);
}
