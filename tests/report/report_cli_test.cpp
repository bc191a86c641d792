// qtrader report / show / compare, run as a user would.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

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

TEST_CASE("report, show and compare refuse a folder that is not a run", "[report][cli]") {
  for (const auto& args : {"report "s + kMetrics, "show "s + kMetrics,
                           "compare "s + kMetrics + "/basic " + kMetrics}) {
    const auto out = run(args);
    INFO(args);
    CHECK(out.status == 2);
    CHECK(out.text == "error: " + kMetrics + ": not a run's results folder (no equity.csv)\n");
  }
}
