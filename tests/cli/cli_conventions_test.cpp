// The command as a Unix tool: --json for show, compare and list, --color and
// NO_COLOR, Examples in every subcommand's --help, bash completion generated
// from the command's definition.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "shell_command.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

const std::string kQtrader = QTRADER_BINARY;
const std::string kCli = std::string(QTRADER_FIXTURES_DIR) + "/cli/";
const std::string kSystem = "--system " + kCli + "system.yaml";

// Two runs of the golden ORCL backtest, the second with other SMA periods, made once.
const std::pair<std::string, std::string>& two_runs() {
  static const auto runs = [] {
    const fs::path out = qtrader::test::process_temp_dir() / "conventions";
    const auto run = [&](const std::string& params) {
      const auto r = qtrader::test::run_shell(kQtrader + " run " + kCli + "../golden/orcl.yaml " + kSystem +
                                              " --quiet --output " + out.string() + params);
      REQUIRE(r.status == 0);
      return r.out.substr(0, r.out.find('\n'));
    };
    return std::make_pair(run(""), run(" --param fast=12"));
  }();
  return runs;
}

}  // namespace

TEST_CASE("show --json holds the run's metrics, summary and log tail", "[cli][json]") {
  const auto& [a, b] = two_runs();
  const auto r = qtrader::test::run_shell(kQtrader + " show --json " + a);
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["run"] == a);
  CHECK(j["summary"]["trades"] == 97);
  CHECK(j["metrics"]["portfolio"]["total_return"].get<double>() == Approx(0.0230233).margin(1e-6));
  CHECK(j["log"]["path"] == (fs::path(a) / "run.log").string());
  CHECK(j["log"]["last_lines"].is_array());
}

TEST_CASE("compare --json holds the params that differ and each metric of both runs", "[cli][json]") {
  const auto& [a, b] = two_runs();
  const auto r = qtrader::test::run_shell(kQtrader + " compare --json " + a + " " + b);
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["a"] == a);
  CHECK(j["b"] == b);
  REQUIRE(j["params"].size() == 2);  // the strategy's fast, and the --param override itself
  CHECK(j["params"][0]["a"] == "10");
  CHECK(j["params"][0]["b"] == "12");
  bool total_return = false;
  for (const auto& m : j["metrics"]) {
    if (m["metric"] != "total return") continue;
    total_return = true;
    CHECK(m["percent"] == true);
    CHECK(m["a"].get<double>() == Approx(0.0230233).margin(1e-6));
    CHECK(m["b_minus_a"].get<double>() == Approx(m["b"].get<double>() - m["a"].get<double>()));
  }
  CHECK(total_return);
}

TEST_CASE("list --json describes every built-in with its params", "[cli][json]") {
  const auto r = qtrader::test::run_shell(kQtrader + " list --json");
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(r.out);
  bool sma = false;
  for (const auto& e : j) {
    if (e["name"] != "sma_crossover") continue;
    sma = true;
    CHECK(e["kind"] == "strategy");
    CHECK(e["full_name"] == "qtrader.sma_crossover");
    CHECK(e["load_error"].is_null());
    REQUIRE(e["params"].size() >= 2);
    CHECK(e["params"][0]["name"] == "fast");
    CHECK(e["params"][0]["default"] == 10);
  }
  CHECK(sma);
}

TEST_CASE("the --color option and NO_COLOR decide the escapes of log lines", "[cli][color]") {
  const fs::path out = qtrader::test::process_temp_dir() / "colors";
  const auto run = [&](const std::string& env, const std::string& color) {
    // --verbose: the run logs at debug on stderr; stdout is the results folder only.
    return qtrader::test::run_shell(env + " " + kQtrader + " run " + kCli + "../golden/orcl.yaml " + kSystem +
                                    " --verbose --no-report --output " + out.string() + color +
                                    " 2>&1 >/dev/null")
        .out;
  };
  const std::string escape = "\033[";
  CHECK_THAT(run("", " --color always"), Catch::Contains(escape));
  CHECK_THAT(run("NO_COLOR=1", " --color always"), Catch::Contains(escape));  // asked for: given
  CHECK_THAT(run("", " --color never"), !Catch::Contains(escape));
  CHECK_THAT(run("NO_COLOR=1", ""), !Catch::Contains(escape));
  const auto bad = qtrader::test::run_shell(kQtrader + " --color sometimes list 2>&1");
  CHECK(bad.status == 2);
}

TEST_CASE("every subcommand's --help ends with examples", "[cli][help]") {
  for (const char* sub : {"run", "runs", "report", "show", "compare", "watch", "list", "sweep", "data", "new",
                          "test", "lib", "events", "replay", "resume"}) {
    INFO(sub);
    const auto r = qtrader::test::run_shell(kQtrader + " " + sub + " --help");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("\nExamples:\n  qtrader " + std::string(sub)));
  }
}

TEST_CASE("the bash completion knows the subcommands and their options", "[cli][completion]") {
  // In an empty folder: a word that is no option also completes to file names.
  const fs::path empty = qtrader::test::process_temp_dir() / "completion";
  fs::create_directories(empty);
  const auto complete = [&](const std::string& words, int cword) {
    return qtrader::test::run_shell("cd " + empty.string() + " && bash -c 'source <(" + kQtrader +
                                    " __complete-bash); COMP_WORDS=(" + words + "); COMP_CWORD=" +
                                    std::to_string(cword) + "; _qtrader; echo \"${COMPREPLY[*]}\"'")
        .out;
  };
  CHECK(complete("qtrader ru", 1) == "run runs\n");
  CHECK(complete("qtrader run --no", 2) == "--no-report\n");
  CHECK(complete("qtrader lib a", 2) == "add\n");
  CHECK(complete("qtrader lib add --pro", 3) == "--project\n");
  // Hidden: not offered.
  CHECK(complete("qtrader __", 1) == "\n");
}
