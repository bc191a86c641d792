// Helpers for the threat suite (docs/sandbox.md, T1-T23): attack
// scripts written to a temporary folder, loaded as real strategies, and checks
// that a failure is a clean ScriptError and that the host still works.
#pragma once

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>

#include "../lua/lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/strategy_script.hpp"
#include "expect_error.hpp"
#include "temp_dir.hpp"

namespace qtrader::sandbox_test {

using qtrader::test::make_bar;
using qtrader::test::TestStrategyContext;

inline const Bar kBar = make_bar(1, 86'400'000'000'000LL, 10.5, 12.25, 9.75, 11.0, 1500);

// The test program's own folder (removed when it exits; forked children
// leave with _exit and leave it alone).
inline std::string temp_dir() { return qtrader::test::process_temp_dir().str(); }

inline std::string write_file(const std::string& name, std::string_view text) {
  const std::string path = temp_dir() + "/" + name;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// The line of the attack body in attack_script().
constexpr int kAttackLine = 3;

// A strategy whose on_bar runs `body` (starting at line 3) and whose on_stop
// logs "alive", so a test can show the host still runs callbacks.
inline std::string attack_script(const std::string& name, std::string_view body) {
  std::string src = "local S = { name = 'attack' }\nfunction S.on_bar(ctx, bar)\n";
  src += body;
  src += "\nend\nfunction S.on_stop(ctx) ctx:log('info', 'alive') end\nreturn S\n";
  return write_file(name + ".lua", src);
}

template <class F>
ScriptError script_error(F&& f) {
  return qtrader::test::expect_error<ScriptError>(std::forward<F>(f));
}

// Loads `body` as on_bar of a fresh strategy in `host` and runs it once.
// The error must name the script, on_bar and, for `line` > 0, start with "path:line:".
inline ScriptError on_bar_error(ScriptHost& host, const std::string& name, std::string_view body,
                                ScriptError::Kind kind, int line = kAttackLine) {
  const std::string path = attack_script(name, body);
  TestStrategyContext ctx;
  StrategyScript script(host, path, ctx, {});
  script.on_init();
  ScriptError e = script_error([&] { script.on_bar(kBar); });
  INFO(e.what());
  CHECK(e.kind() == kind);
  CHECK(e.script() == path);
  CHECK(e.callback() == "on_bar");
  if (line > 0) CHECK_THAT(e.message(), Catch::StartsWith(path + ":" + std::to_string(line) + ":"));
  if (kind == ScriptError::Kind::Runtime || kind == ScriptError::Kind::Timeout)
    CHECK_THAT(e.traceback(), Catch::StartsWith("stack traceback:"));
  // The same script's next callback still runs.
  script.on_stop();
  REQUIRE(!ctx.logs.empty());
  CHECK_THAT(ctx.logs.back().second, Catch::EndsWith("alive"));
  return e;
}

// The host runs new code after whatever happened before.
inline void check_host_alive(ScriptHost& host) {
  CHECK(host.evaluate("local t = {} for i = 1, 100 do t[i] = i * 2 end return t[100]") == "200");
}

// Runs `body` in a forked child with an alarm, for attacks that crash or hang
// a process when the sandbox has a hole: a regression then fails this test
// instead of killing the test program. Returns the child's exit code, or
// 128 + signal when it died of a signal.
template <class F>
int exit_code_in_child(F body, unsigned alarm_seconds = 20) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::alarm(alarm_seconds);
    int code = 2;
    try {
      code = body();
    } catch (...) {
      code = 3;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace qtrader::sandbox_test
