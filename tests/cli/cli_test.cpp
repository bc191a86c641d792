// The qtrader command as a user runs it: exit status and the one-line errors.
#include <catch2/catch.hpp>

#include "qtrader/version.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "shell_command.hpp"
#include "temp_dir.hpp"

namespace {

struct Output {
  int status;
  std::string out;  // stdout and stderr together
};

Output run_qtrader(const std::string& args) {
  auto r = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " " + args + " 2>&1");
  return {r.status, std::move(r.out)};
}

const std::string kCli = std::string(QTRADER_FIXTURES_DIR) + "/cli/";
const std::string kSystem = "--system " + kCli + "system.yaml";
const std::string kOut = "--output " + (qtrader::test::process_temp_dir() / "runs").string();

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("--help lists the run command and its options", "[cli]") {
  auto o = run_qtrader("--help");
  CHECK(o.status == 0);
  CHECK_THAT(o.out, Catch::Contains("run"));
  o = run_qtrader("run --help");
  CHECK(o.status == 0);
  CHECK_THAT(o.out, Catch::Contains("--system"));
  CHECK_THAT(o.out, Catch::Contains("--output"));
  CHECK_THAT(o.out, Catch::Contains("--quiet"));
}

TEST_CASE("a broken YAML file is one line naming file and line, exit 2", "[cli]") {
  const auto o = run_qtrader("run " + kCli + "broken_yaml.yaml " + kSystem + " " + kOut);
  CHECK(o.status == 2);
  CHECK(lines(o.out) == 1);
  CHECK_THAT(o.out, Catch::StartsWith("error: " + kCli + "broken_yaml.yaml:"));
}

TEST_CASE("a misspelt key is named with its line, exit 2", "[cli]") {
  const auto o = run_qtrader("run " + kCli + "typo.yaml " + kSystem + " " + kOut);
  CHECK(o.status == 2);
  CHECK(lines(o.out) == 1);
  CHECK_THAT(o.out, Catch::Contains("typo.yaml:14:"));
  CHECK_THAT(o.out, Catch::Contains("confg"));
}

TEST_CASE("a broken CSV row is one line naming file and line, exit 2", "[cli]") {
  const auto o = run_qtrader("run " + kCli + "bad_csv.yaml " + kSystem + " " + kOut + " --quiet");
  CHECK(o.status == 2);
  CHECK(lines(o.out) == 1);
  CHECK_THAT(o.out, Catch::Contains("BAD.csv:4:"));
  CHECK_THAT(o.out, Catch::Contains("high"));
}

TEST_CASE("a script error fails the run with file, line and callback, exit 1", "[cli]") {
  const auto o = run_qtrader("run " + kCli + "script_error.yaml " + kSystem + " " + kOut + " --quiet");
  CHECK(o.status == 1);
  CHECK_THAT(o.out, Catch::Contains("fails_on_bar.lua:9"));
  CHECK_THAT(o.out, Catch::Contains("on_bar"));
}

TEST_CASE("a good run prints its results folder, exit 0", "[cli]") {
  const auto o = run_qtrader("run " + kCli + "../golden/orcl.yaml " + kSystem + " " + kOut + " --quiet");
  CHECK(o.status == 0);
  const std::string dir = o.out.substr(0, o.out.find('\n'));
  // The golden ORCL run: 97 round trips, 195 fills (tests/golden).
  const std::string trades = slurp(dir + "/trades.csv");
  CHECK(trades.rfind("strategy_id,symbol,entry_time,entry_price,exit_time,exit_price,", 0) == 0);
  CHECK(lines(trades) == 98);
  const std::string summary = slurp(dir + "/summary.json");
  CHECK_THAT(summary, Catch::Contains("\"trades\": 97,"));
  CHECK_THAT(summary, Catch::Contains("\"fills\": 195,"));
  CHECK_THAT(summary, Catch::Contains("\"final_equity\": 102302.33"));
  SQLite::Database db(dir + "/events.sqlite", SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT COUNT(*) FROM events WHERE type = 'fill'").getInt() == 195);
  // logging.level is warn: a clean run logs nothing at warn or above.
  CHECK(std::filesystem::exists(dir + "/run.log"));
  CHECK(slurp(dir + "/run.log").empty());
}

TEST_CASE("runs lists completed and failed runs with their status", "[cli][lifecycle]") {
  const auto dir = qtrader::test::process_temp_dir() / "listed";
  const std::string out = "--output " + dir.string();
  CHECK(run_qtrader("run " + kCli + "../golden/orcl.yaml " + kSystem + " " + out + " -q").status == 0);
  CHECK(run_qtrader("run " + kCli + "script_error.yaml " + kSystem + " " + out + " -q").status == 1);
  const auto o = run_qtrader("runs " + dir.string());
  CHECK(o.status == 0);
  CHECK(lines(o.out) >= 4);  // header, two runs, the failure's message
  CHECK_THAT(o.out, Catch::Contains("completed"));
  CHECK_THAT(o.out, Catch::Contains("failed"));
  CHECK_THAT(o.out, Catch::Contains("fails_on_bar.lua:9"));
  CHECK_THAT(o.out, Catch::Contains("102302.33"));  // the ORCL run's final equity

  // --json: the same runs as data, newest first, null where a run has no figure.
  const auto j = run_qtrader("runs --json " + dir.string());
  CHECK(j.status == 0);
  const auto runs = nlohmann::json::parse(j.out);
  REQUIRE(runs.size() == 2);
  const auto& done = runs[0]["status"] == "completed" ? runs[0] : runs[1];
  const auto& failed = runs[0]["status"] == "completed" ? runs[1] : runs[0];
  CHECK(done["trades"] == 97);
  CHECK(done["final_equity"].get<double>() == Approx(102302.33).margin(0.005));
  CHECK(done["message"].is_null());
  CHECK(failed["status"] == "failed");
  CHECK(failed["final_equity"].is_null());
  CHECK_THAT(failed["message"].get<std::string>(), Catch::Contains("fails_on_bar.lua:9"));
  // Each run names the engine that made it, as `qtrader --version` does.
  for (const auto& r : runs) {
    CHECK(r["qtrader_version"] == std::string(qtrader::version()));
    CHECK(r["qtrader_commit"] == std::string(qtrader::git_commit()));
  }
  CHECK(run_qtrader("runs /nonexistent-folder").status == 2);
  std::filesystem::remove_all(dir);
}

TEST_CASE("an unknown strategy param is a config error before any results folder exists", "[cli]") {
  const auto dir = qtrader::test::process_temp_dir() / "badparam";
  const auto o = run_qtrader("run " + kCli + "bad_param.yaml " + kSystem + " --output " + dir.string());
  CHECK(o.status == 2);
  CHECK(lines(o.out) == 1);
  CHECK_THAT(o.out, Catch::Contains("bad_param.yaml:11:"));
  CHECK_THAT(o.out, Catch::Contains("fastt"));
  CHECK_FALSE(std::filesystem::exists(dir));
}

namespace {

// Runs `backtest` (a fixture of tests/fixtures/cli) into a fresh output folder
// and checks that the run failed before making it.
Output run_failing_before_output(const std::string& backtest, const std::string& folder) {
  const auto dir = std::filesystem::temp_directory_path() / folder;
  std::filesystem::remove_all(dir);
  auto o = run_qtrader("run " + kCli + backtest + " " + kSystem + " --output " + dir.string());
  CHECK_FALSE(std::filesystem::exists(dir));
  return o;
}

std::string normal(const std::string& path) {
  return std::filesystem::path(path).lexically_normal().string();
}

}  // namespace

TEST_CASE("a universe symbol without a data file is named at its line in the backtest, exit 2",
          "[cli]") {
  const auto o = run_failing_before_output("missing_data_file.yaml", "qtrader-cli-nodatafile");
  CHECK(o.status == 2);
  CHECK(o.out == "error: " + kCli + "missing_data_file.yaml:10: key 'data.sources[0].universe[2]': " +
                     "no data file for 'AAPL' (looked for " +
                     normal(kCli + "../../../data/sample/AAPL.csv") + ")\n");
}

TEST_CASE("a script_paths folder that does not exist is named at its line, exit 2", "[cli]") {
  const auto o = run_failing_before_output("missing_script_folder.yaml", "qtrader-cli-noscripts");
  CHECK(o.status == 2);
  CHECK(o.out == "error: " + kCli + "missing_script_folder.yaml:4: key 'script_paths[1]': " +
                     "folder does not exist: " + normal(kCli + "scirpts") + "\n");
}

TEST_CASE("dates with no bar for any symbol fail with each file's dates, exit 2", "[cli]") {
  const auto o = run_failing_before_output("no_bars_in_range.yaml", "qtrader-cli-nobars");
  CHECK(o.status == 2);
  CHECK(o.out == "error: " + kCli + "no_bars_in_range.yaml:1: no bars between 2030-01-01 and " +
                     "2030-12-31: ORCL has 1995-01-03..2014-12-31, NVDA has 1999-01-22..2014-12-31\n");
}

// A 1 KB file of aliases of aliases expands to 10^8 values: refused while read,
// before any conversion allocates them, naming the file, line and key.
TEST_CASE("a YAML alias bomb in a backtest is refused at its key, exit 2", "[cli][hardening]") {
  const auto dir = qtrader::test::process_temp_dir() / "aliasbomb";
  const auto o = run_qtrader("run " + kCli + "yaml_alias_bomb.yaml " + kSystem + " --output " +
                             dir.string());
  CHECK(o.status == 2);
  CHECK(lines(o.out) == 1);
  CHECK_THAT(o.out, Catch::StartsWith("error: " + kCli + "yaml_alias_bomb.yaml:"));
  CHECK_THAT(o.out, Catch::Contains("strategies[0].config.l8"));
  CHECK_THAT(o.out, Catch::Contains("expands to more than 200000 values"));
  CHECK_FALSE(std::filesystem::exists(dir));
}

TEST_CASE("a YAML alias bomb in a --param value is refused naming the param, exit 2",
          "[cli][hardening]") {
  std::string value = "[&a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]";
  for (int level = 1; level <= 7; ++level) {
    value += ", &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) value += (i ? ", *a" : "*a") + std::to_string(level - 1);
    value += "]";
  }
  value += "]";
  const auto dir = qtrader::test::process_temp_dir() / "aliasbomb-param";
  const auto o = run_qtrader("run " + kCli + "bad_param.yaml " + kSystem + " --param 'fast=" +
                             value + "' --output " + dir.string());
  CHECK(o.status == 2);
  CHECK(lines(o.out) == 1);
  CHECK_THAT(o.out, Catch::Contains("fast"));
  CHECK_THAT(o.out, Catch::Contains("expands to more than 200000 values"));
  CHECK_FALSE(std::filesystem::exists(dir));
}

// What a script prints or logs is one escaped line of the run's log, never
// stdout (where the results folder is read) and never a line of its own.
TEST_CASE("script output cannot forge the results line or run.log lines", "[cli][hardening]") {
  const auto r = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " run " + kCli +
                                          "output_forger.yaml " + kSystem + " " + kOut + " --quiet 2>/dev/null");
  CHECK(r.status == 0);
  REQUIRE(lines(r.out) == 1);
  const std::string dir = r.out.substr(0, r.out.size() - 1);
  CHECK(std::filesystem::exists(dir + "/summary.json"));
  const std::string log = slurp(dir + "/run.log");
  CHECK_THAT(log, !Catch::Contains("\nFORGED"));
  CHECK_THAT(log, !Catch::Contains("\n2000-01-01 00:00:00.000 error FORGED"));
  CHECK_THAT(log, Catch::Contains("first\\n2000-01-01 00:00:00.000 error FORGED log line"));
  CHECK(lines(log) == 1);  // logging.level is warn: the ctx:log line only
}

TEST_CASE("a stack overflow names the script line that recursed, exit 1", "[cli][hardening]") {
  const auto o = run_qtrader("run " + kCli + "recursion.yaml " + kSystem + " " + kOut + " --quiet");
  CHECK(o.status == 1);
  CHECK_THAT(o.out, Catch::StartsWith("error: " + kCli + "scripts/recurses.lua in on_bar: " + kCli +
                                      "scripts/recurses.lua:4: stack overflow\n"));
}
