// report.html of a real backtest, opened in a real headless Chromium: the page
// must render without a script error and its charts must draw. The screenshot
// path is printed for a person to look at.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "qtrader/engine.hpp"
#include "qtrader/results.hpp"
#include "headless_chromium.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"
#include "file_text.hpp"

using namespace qtrader;
namespace fs = std::filesystem;

using qtrader::test::file_text;

namespace {

const std::string kFixtures = QTRADER_FIXTURES_DIR;

// The golden ORCL backtest (SMA 10/30, 97 round trips), into a fresh folder;
// `benchmark`: the same run with buy-and-hold of ORCL as its benchmark
// (tests/fixtures/metrics/run/orcl_symbol.yaml).
std::string run_orcl(const std::string& name, bool benchmark = false) {
  const auto out = test::process_temp_dir() / name;
  const std::string dir = kFixtures + (benchmark ? "/metrics/run" : "/golden");
  return test::run_backtest(dir + "/system.yaml", dir + (benchmark ? "/orcl_symbol.yaml" : "/orcl.yaml"),
                            out.string(), /*report=*/true)
      .results_dir;
}

// The JSON data block of a report, parsed.
nlohmann::json embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"qtrader-data\">";
  const auto begin = html.find(open);
  REQUIRE(begin != std::string::npos);
  const auto end = html.find("</script>", begin);
  REQUIRE(end != std::string::npos);
  return nlohmann::json::parse(html.substr(begin + open.size(), end - begin - open.size()));
}

using test::chromium;
using test::have_chromium;
const auto attribute = test::dom_attribute;

}  // namespace

TEST_CASE("the report of a real backtest renders in Chromium with its charts", "[report]") {
  const std::string dir = run_orcl("qtrader-report-test", /*benchmark=*/true);
  const ReportResult result = write_report(dir);
  CHECK(result.warnings.empty());
  REQUIRE(fs::exists(dir + "/report.html"));
  const auto metrics = nlohmann::json::parse(file_text(dir + "/metrics.json"));
  CHECK(metrics["portfolio"]["trades"] == 97);
  CHECK(metrics["portfolio"]["final_equity"].get<double>() == Approx(102302.33295370008).epsilon(1e-12));

  const std::string html = file_text(dir + "/report.html");
  CHECK(html.find("TradingView Lightweight Charts") != std::string::npos);  // inlined, offline
  CHECK(html.find("src=\"http") == std::string::npos);
  const auto data = embedded_data(html);
  CHECK(data["trades"]["total"] == 97);
  CHECK(data["trades"]["number"].size() == 97);  // under the cap: every trade
  REQUIRE(data["symbols"].size() == 1);
  CHECK(data["symbols"][0]["symbol"] == "ORCL");
  CHECK(data["symbols"][0]["bars"].size() == 5036);
  CHECK(data["symbols"][0]["fills"] == 195);
  CHECK(data["symbols"][0]["markers"].size() == 195);  // under the cap: one per fill
  CHECK(data["equity"]["rolling_sharpe"].size() == 5036);
  CHECK(data["equity"]["time"].size() == 5036);
  CHECK(data["equity"]["benchmark"].size() == 5036);
  CHECK(data["equity"]["exposure"].size() == 5036);
  // Every day's return and every trade are counted in the histograms.
  CHECK(data["distributions"]["daily_returns"]["n"] == 5036);
  CHECK(data["distributions"]["trade_pnl"]["n"] == 97);
  std::size_t counted = 0;
  for (const auto& c : data["distributions"]["trade_pnl"]["counts"]) counted += c.get<std::size_t>();
  CHECK(counted == 97);
  CHECK(data["metrics"]["portfolio"]["trades"] == 97);
  CHECK(data["metrics"]["portfolio"]["final_equity"].get<double>() ==
        Approx(102302.33295370008).epsilon(1e-12));

  if (!have_chromium()) return;
  const fs::path work = fs::path(dir) / "chromium";
  // A loaded machine can make headless Chromium dump the page before its
  // first animation frame; such a dump has no verdict at all, so try again.
  std::string dom;
  for (int attempt = 0; attempt < 3; ++attempt) {
    dom = chromium(dir + "/report.html", "--dump-dom", work);
    if (attribute(dom, "data-charts-ready") != "<absent>") break;
  }
  INFO("script error: " << attribute(dom, "data-script-error"));
  CHECK(attribute(dom, "data-script-error") == "<absent>");
  // Equity (with the benchmark's grey line), drawdown, rolling Sharpe, net
  // exposure, the ORCL price chart and the two histograms were created and
  // put ink on their canvases.
  CHECK(attribute(dom, "data-charts-expected") == "7");
  CHECK(attribute(dom, "data-charts-ready") == "7");
  CHECK(attribute(dom, "data-charts-drawn") == "7");
  CHECK(attribute(dom, "data-charts-drawn-ids") ==
        "chart-drawdown chart-equity chart-exposure chart-price-ORCL chart-return-histogram "
        "chart-rolling-sharpe chart-trade-pnl-histogram");
  CHECK(attribute(dom, "data-benchmark-drawn") == "1");
  // Nothing runs off the 1280 px window (long run records wrap, wide tables
  // scroll inside their box).
  const std::string width = attribute(dom, "data-page-width");
  REQUIRE(width != "<absent>");
  CHECK(std::stoi(width) <= 1280);
  for (const char* id : {"trades", "monthly-returns", "by-symbol", "worst-drawdowns", "annual-returns"})
    CHECK(dom.find(std::string("id=\"") + id + "\"") != std::string::npos);

  // Kept for a look after the run: the run folder goes with the test program.
  const fs::path png = fs::current_path() / "report_screenshot.png";
  fs::remove(png);  // not an earlier run's
  chromium(dir + "/report.html", "--screenshot=" + png.string(), work);
  REQUIRE(fs::exists(png));
  CHECK(file_text(png).rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  CHECK(fs::file_size(png) > 50'000);  // a blank page of this size compresses to a few KB
  std::cout << "report screenshot: " << png.string() << "\n";
}

TEST_CASE("the chart library is compiled in: a report written anywhere has it", "[report]") {
  // No node_modules, no source tree: the page carries the library it was built with.
  const test::TempDir tmp("report-anywhere");
  for (const char* f : {"equity.csv", "summary.json", "trades.csv"})
    fs::copy_file(kFixtures + "/metrics/basic/" + f, tmp.path() / f);
  const ReportResult result = write_report(tmp.path().string());
  const std::string html = file_text(result.path);
  std::string library = file_text(std::string(QTRADER_SOURCE_DIR) +
                              "/node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js");
  REQUIRE(library.size() > 100000);
  // Inlined, "</" is written "<\/" so that no "</script" can end the block early.
  for (std::size_t at = 0; (at = library.find("</", at)) != std::string::npos; at += 3)
    library.replace(at, 2, "<\\/");
  CHECK(html.find("<!-- TradingView Lightweight Charts (Apache-2.0), inlined -->\n<script>" + library +
                  "</script>") != std::string::npos);
}

TEST_CASE("values from a run cannot break out of the report's data block", "[report]") {
  const test::TempDir tmp("report-escape");
  const fs::path dir = tmp.path();
  const std::string evil = "</script><script>alert(1)</script><!--";
  for (const char* f : {"equity.csv", "summary.json"})
    fs::copy_file(kFixtures + "/metrics/basic/" + f, dir / f);
  std::ofstream(dir / "trades.csv")
      << "strategy_id,symbol,entry_time,entry_price,exit_time,exit_price,quantity,gross_pnl,"
         "commission,net_pnl,direction\n"
      << evil << ",AAA,2024-01-30,10,2024-02-01,12,10,20,2,18,long\n";
  write_report(dir.string());
  const std::string html = file_text(dir / "report.html");
  CHECK(html.find(evil) == std::string::npos);
  CHECK(embedded_data(html)["trades"]["strategies"][0] == evil);  // intact once parsed
}

TEST_CASE("a folder that is not a run is refused", "[report]") {
  CHECK_THROWS_MATCHES(write_report(kFixtures + "/metrics"), NotARunError,
                       Catch::Message(kFixtures + "/metrics: not a run's results folder (no equity.csv)"));
}
