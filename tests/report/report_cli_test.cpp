// qtrader report / show / compare, run as a user would.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

const std::string kMetrics = std::string(QTRADER_FIXTURES_DIR) + "/metrics";

struct Output {
  int status;
  std::string text;  // stdout and stderr
};

Output run(const std::string& args) {
  auto r = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " " + args + " 2>&1");
  return {r.status, std::move(r.out)};
}

fs::path copy_of(const std::string& fixture, const std::string& name) {
  const auto dir = qtrader::test::process_temp_dir() / name;
  fs::copy(kMetrics + "/" + fixture, dir);
  return dir;
}

}  // namespace

TEST_CASE("qtrader report rewrites report.html and metrics.json", "[report][cli]") {
  const auto dir = copy_of("basic", "qtrader-cli-report");
  const auto out = run("report " + dir.string());
  INFO(out.text);
  CHECK(out.status == 0);
  CHECK(out.text.find((dir / "report.html").string() + "\n") != std::string::npos);
  std::ifstream html_file(dir / "report.html");
  const std::string html((std::istreambuf_iterator<char>(html_file)), std::istreambuf_iterator<char>());
  CHECK_THAT(html, Catch::Contains("<script type=\"application/json\" id=\"qtrader-data\">"));
  std::ifstream metrics_file(dir / "metrics.json");
  REQUIRE(metrics_file);
  const auto metrics = nlohmann::json::parse(metrics_file);
  CHECK(metrics["portfolio"]["trades"] == 3);  // the basic fixture's three trades (tests/metrics)
  CHECK(metrics["portfolio"]["max_drawdown"]["recovery"] == "2024-03-06");
  fs::remove_all(dir);
}

TEST_CASE("qtrader show prints the metrics", "[report][cli]") {
  const auto out = run("show " + kMetrics + "/basic");
  INFO(out.text);
  CHECK(out.status == 0);
  CHECK(out.text.find("total return                   2.10 %") != std::string::npos);
  CHECK(out.text.find("max drawdown                  -3.05 %") != std::string::npos);
  CHECK(out.text.find("drawdown recovery          2024-03-06") != std::string::npos);
  CHECK(out.text.find("profit factor                   0.710") != std::string::npos);
}

TEST_CASE("qtrader compare shows both runs and the difference", "[report][cli]") {
  const auto out = run("compare " + kMetrics + "/basic " + kMetrics + "/underwater");
  INFO(out.text);
  CHECK(out.status == 0);
  // 2.10 % and 4.00 %: B - A = +1.90 percentage points.
  CHECK(out.text.find("total return                   2.10 %           4.00 %       +1.90 pt") !=
        std::string::npos);
  CHECK(out.text.find("trades                              3                0         -3.000") !=
        std::string::npos);
}

TEST_CASE("summary.json records every script's params, and compare lists what differed first",
          "[report][cli]") {
  const std::string dir = qtrader::test::process_temp_dir().str() + "/compare_params";
  const std::string backtest = std::string(QTRADER_SOURCE_DIR) + "/config/backtests/sample.yaml";
  const auto run_with = [&](const std::string& extra) {
    const auto out = run("run " + backtest + " --output " + dir + " --quiet --no-report " + extra);
    REQUIRE(out.status == 0);
    std::string folder = out.text.substr(0, out.text.find('\n'));
    REQUIRE(fs::exists(folder + "/summary.json"));
    return folder;
  };
  const std::string a = run_with("");
  const std::string b = run_with("--param fast=5 --param risk.quantity=50");
  std::ifstream in(b + "/summary.json");
  const auto summary = nlohmann::json::parse(in);
  // Declared defaults are filled in, overrides applied and listed as given.
  CHECK(summary["params"]["scripts"]["sma_cross"]["name"] == "sma_crossover");
  CHECK(summary["params"]["scripts"]["sma_cross"]["params"]["fast"] == 5);
  CHECK(summary["params"]["scripts"]["sma_cross"]["params"]["slow"] == 30);
  CHECK(summary["params"]["scripts"]["risk_policy"]["params"]["quantity"] == 50);
  CHECK(summary["params"]["overrides"] == nlohmann::json::array({"fast=5", "risk.quantity=50"}));
  // The runs table of events.sqlite holds the same object.
  SQLite::Database db(b + "/events.sqlite");
  CHECK(nlohmann::json::parse(db.execAndGet("SELECT params FROM runs").getString()) == summary["params"]);

  const auto out = run("compare " + a + " " + b);
  INFO(out.text);
  CHECK(out.status == 0);
  // One row per difference: the name, A's value, B's value (columns 28, 16, 16).
  const auto row = [](std::string name, const std::string& va, const std::string& vb) {
    name.resize(28, ' ');
    return name + " " + std::string(16 - va.size(), ' ') + va + " " + std::string(16 - vb.size(), ' ') + vb;
  };
  const auto fast = out.text.find(row("sma_cross.fast", "10", "5"));
  const auto quantity = out.text.find(row("risk_policy.quantity", "100", "50"));
  const auto metrics = out.text.find("total return");
  CHECK(fast != std::string::npos);
  CHECK(quantity != std::string::npos);
  CHECK(out.text.find("sma_cross.slow") == std::string::npos);  // the same in both: not listed
  CHECK(fast < metrics);
}

TEST_CASE("report, show and compare refuse a folder that is not a run", "[report][cli]") {
  for (const auto& args : {"report "s + kMetrics, "show "s + kMetrics,
                           "compare "s + kMetrics + "/basic " + kMetrics}) {
    const auto out = run(args);
    INFO(args);
    CHECK(out.status == 2);
    CHECK(out.text == "error: " + kMetrics + ": not a run's results folder (no equity.csv)\n");
  }
}
