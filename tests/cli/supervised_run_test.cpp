// `qtrader run` in strict mode with the JIT on under the supervisor
// (docs/sandbox.md, "Supervised strict mode"; issue #14 item 1, issue #15): a
// call the JIT compiled that never ends is stopped at its budget + grace, the
// run is recorded failed with the script and callback, exit 1. With
// sandbox.jit: off the same run is stopped in-process by the hook, naming the
// line.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

#include "file_text.hpp"
#include "shell_command.hpp"
#include "signalled_run.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using qtrader::test::TempDir;

namespace {

const std::string kCli = std::string(QTRADER_FIXTURES_DIR) + "/cli/";

fs::path run_folder(const fs::path& out) {
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (e.path().filename() == "events.sqlite") return e.path().parent_path();
  FAIL("no run folder under " << out);
  return {};
}

struct TimedRun {
  qtrader::test::CommandOutput output;
  double seconds = 0;
};

TimedRun run(const std::string& backtest, const std::string& system, const fs::path& out) {
  const auto start = std::chrono::steady_clock::now();
  TimedRun r;
  r.output = qtrader::test::run_shell_captured(std::string(QTRADER_BINARY) + " run " + kCli + backtest +
                                               " --system " + kCli + system + " --output " + out.string() +
                                               " --quiet --no-report");
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// The runs row: status and message.
std::pair<std::string, std::string> run_status(const fs::path& dir) {
  SQLite::Database db((dir / "events.sqlite").string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT status, message FROM runs");
  REQUIRE(q.executeStep());
  return {q.getColumn(0).getString(), q.getColumn(1).getString()};
}

}  // namespace

TEST_CASE("supervised run: a compiled endless loop in on_bar fails the run at budget and grace",
          "[cli][supervised][timeout]") {
  const TempDir out("sv-compiled");
  const TimedRun r = run("compiled_loop.yaml", "system_budget.yaml", out.path());
  INFO(r.output.err);
  CHECK(r.output.status == 1);
  CHECK(r.output.out.empty());  // no results line for a failed run
  const std::string script = kCli + "scripts/compiled_loop.lua";
  const std::string expected = script + " in on_bar: time budget of 0.2 s exceeded (stopped by the supervisor after ";
  CHECK_THAT(r.output.err, Catch::StartsWith("error: " + expected));
  CHECK(r.seconds < 5.0);  // 0.2 s budget + 0.2 s grace, plus start-up on a loaded machine
  const fs::path dir = run_folder(out.path());
  const auto [status, message] = run_status(dir);
  CHECK(status == "failed");
  CHECK_THAT(message, Catch::StartsWith(expected));
  CHECK_THAT(qtrader::test::file_text(dir / "run.log"), Catch::Contains("error run failed: " + expected));
  const auto listed = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " runs " + out.str());
  CHECK_THAT(listed.out, Catch::Contains("failed"));
}

TEST_CASE("supervised run: table.move over 2^52 slots in a risk policy's evaluate fails the run",
          "[cli][supervised][timeout]") {
  const TempDir out("sv-table-move");
  const TimedRun r = run("table_move_risk.yaml", "system_budget.yaml", out.path());
  INFO(r.output.err);
  CHECK(r.output.status == 1);
  CHECK_THAT(r.output.err, Catch::StartsWith("error: " + kCli + "scripts/table_move_risk.lua in evaluate: time budget "
                                             "of 0.2 s exceeded (stopped by the supervisor after "));
  CHECK(r.seconds < 5.0);
  CHECK(run_status(run_folder(out.path())).first == "failed");
}

TEST_CASE("supervised run: with sandbox.jit off the same loop is stopped in-process at its line",
          "[cli][supervised][timeout]") {
  const TempDir out("sv-jit-off");
  const TimedRun r = run("compiled_loop.yaml", "system_budget_jit_off.yaml", out.path());
  INFO(r.output.err);
  CHECK(r.output.status == 1);
  const std::string script = kCli + "scripts/compiled_loop.lua";
  const std::string expected = script + " in on_bar: " + script + ":11: time budget of 0.2 s exceeded";
  CHECK_THAT(r.output.err, Catch::StartsWith("error: " + expected));
  const auto [status, message] = run_status(run_folder(out.path()));
  CHECK(status == "failed");
  CHECK(message == expected);
}

// Signals reach a supervised run as they reach an in-process one: SIGTERM to
// `qtrader run` is passed on (interrupted, exit 130); SIGKILL of it shows the
// run as died at once, since the runs row holds the supervisor's pid.
TEST_CASE("supervised run: SIGTERM interrupts it with exit 130 and SIGKILL shows it died at once",
          "[cli][supervised][lifecycle]") {
  const TempDir term("sv-sigterm");
  CHECK(qtrader::test::run_slow_and_signal(term.path(), SIGTERM, "system_supervised.yaml") == 130);
  CHECK(run_status(run_folder(term.path())).first == "interrupted");
  const TempDir killed("sv-sigkill");
  CHECK(qtrader::test::run_slow_and_signal(killed.path(), SIGKILL, "system_supervised.yaml") == -SIGKILL);
  const auto listed = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " runs " + killed.str());
  CHECK_THAT(listed.out, Catch::Contains("  died  "));
}

// Determinism (issue #15): the JIT changes how fast, never what. The golden
// runs (backtrader's SMA crossover on ORCL and YHOO; TA-Lib-checked RSI and
// Donchian strategies) give byte-identical results files supervised with the
// JIT on and in-process with it off.
TEST_CASE("supervised run: results are byte-identical with the JIT on and off on the golden runs",
          "[cli][supervised][golden]") {
  const std::string golden = std::string(QTRADER_FIXTURES_DIR) + "/golden/";
  for (const std::string backtest : {"orcl.yaml", "yhoo.yaml", "talib_strategies.yaml"}) {
    INFO(backtest);
    std::string folders[2];
    int i = 0;
    for (const std::string jit : {"supervised", "off"}) {
      const TempDir out("sv-golden-" + jit);
      const auto r = qtrader::test::run_shell_captured(std::string(QTRADER_BINARY) + " run " + golden + backtest +
                                                       " --system " + golden + "system_jit_" + jit +
                                                       ".yaml --output " + out.str() + " --quiet --no-report");
      INFO(r.err);
      REQUIRE(r.status == 0);
      folders[i] = out.str() + "_kept";
      fs::rename(run_folder(out.path()), folders[i]);
      ++i;
    }
    for (const char* f : {"/trades.csv", "/fills.csv", "/equity.csv", "/records.csv", "/positions.csv",
                          "/summary.json"}) {
      INFO(f);
      const std::string a = qtrader::test::file_text(folders[0] + f), b = qtrader::test::file_text(folders[1] + f);
      CHECK(!a.empty());
      CHECK(a == b);
    }
    for (const auto& dir : folders) fs::remove_all(dir);
  }
}
