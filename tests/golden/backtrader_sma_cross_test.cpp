// The SMA(10)/SMA(30) crossover on real data must reproduce backtrader's
// reference runs: the same round trips on the same dates, prices and P&L within
// 1e-9 relative, and the same final cash and value.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "csv_table.hpp"
#include "qtrader/engine.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = QTRADER_FIXTURES_DIR;

bool close_rel(double a, double b, double rel = 1e-9) {
  return std::fabs(a - b) <= rel * std::max(1.0, std::fabs(b));
}

RunResult run_golden(const std::string& backtest) {
  EngineOptions eo;
  eo.system_config = kFixtures + "/golden/system.yaml";
  Engine engine(eo);
  RunOptions ro;
  ro.output_dir = test::process_temp_dir().str();
  ro.quiet = true;
  return engine.run(kFixtures + "/golden/" + backtest, ro);
}

void check_against_backtrader(const RunResult& run, const std::string& reference) {
  const auto ref = test::read_csv(kFixtures + "/backtrader/" + reference + ".csv");
  const auto got = test::read_csv(run.results_dir + "/trades.csv");

  REQUIRE(got.rows.size() == std::stoul(ref.summary.at("n_trades")));
  REQUIRE(got.rows.size() == ref.rows.size());
  for (std::size_t i = 0; i < ref.rows.size(); ++i) {
    INFO("trade " << i + 1 << " entered " << ref.at(i, "entry_date"));
    CHECK(got.at(i, "entry_time") == ref.at(i, "entry_date"));
    CHECK(got.at(i, "exit_time") == ref.at(i, "exit_date"));
    CHECK(got.num(i, "quantity") == ref.num(i, "size"));
    CHECK(close_rel(got.num(i, "entry_price"), ref.num(i, "entry_price")));
    CHECK(close_rel(got.num(i, "exit_price"), ref.num(i, "exit_price")));
    CHECK(close_rel(got.num(i, "gross_pnl"), ref.num(i, "gross_pnl")));
    CHECK(close_rel(got.num(i, "commission"), ref.num(i, "commission")));
    CHECK(close_rel(got.num(i, "net_pnl"), ref.num(i, "net_pnl")));
  }

  const double ref_cash = std::stod(ref.summary.at("final_cash"));
  const double ref_value = std::stod(ref.summary.at("final_value"));
  CHECK(close_rel(run.summary.final_cash, ref_cash));
  CHECK(close_rel(run.summary.final_equity, ref_value));
  // To the last cent, as printed.
  CHECK(std::llround(run.summary.final_equity * 100) == std::llround(ref_value * 100));

  // summary.json says the same as the returned summary.
  std::ifstream in(run.results_dir + "/summary.json");
  const auto j = nlohmann::json::parse(in);
  CHECK(j.at("trades").get<std::size_t>() == ref.rows.size());
  CHECK(close_rel(j.at("final_equity").get<double>(), ref_value));

  // Every fill of the reference, at its price.
  const auto ref_fills = test::read_csv(kFixtures + "/backtrader/" + reference + ".fills.csv");
  const auto fills = test::read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == ref_fills.rows.size());
  for (std::size_t i = 0; i < fills.rows.size(); ++i) {
    INFO("fill " << i + 1);
    CHECK(fills.at(i, "timestamp") == ref_fills.at(i, "date"));
    CHECK(close_rel(fills.num(i, "price"), ref_fills.num(i, "price")));
    CHECK(close_rel(fills.num(i, "commission"), ref_fills.num(i, "commission")));
  }
}

}  // namespace

TEST_CASE("ORCL 1995-2014 SMA crossover reproduces backtrader", "[golden]") {
  const auto run = run_golden("orcl.yaml");
  CHECK(run.summary.bars_processed == 5036);
  check_against_backtrader(run, "sma_cross_orcl");
  REQUIRE(run.summary.open_positions.size() == 1);
  CHECK(run.summary.open_positions[0].quantity == 100);
  CHECK(run.summary.open_positions[0].avg_price == 38.93);
  CHECK(run.summary.open_positions[0].last_price == 44.970001);
}

TEST_CASE("YHOO 1996-2014 SMA crossover reproduces backtrader", "[golden]") {
  const auto run = run_golden("yhoo.yaml");
  CHECK(run.summary.bars_processed == 4713);
  check_against_backtrader(run, "sma_cross_yhoo");
  CHECK(run.summary.open_positions.empty());
}

TEST_CASE("the same inputs give byte-identical trades and summary", "[golden]") {
  const auto a = run_golden("orcl.yaml");
  const auto b = run_golden("orcl.yaml");
  REQUIRE(a.results_dir != b.results_dir);
  for (const char* f : {"/trades.csv", "/fills.csv", "/equity.csv", "/summary.json"}) {
    std::ifstream fa(a.results_dir + f), fb(b.results_dir + f);
    const std::string sa((std::istreambuf_iterator<char>(fa)), {});
    const std::string sb((std::istreambuf_iterator<char>(fb)), {});
    INFO(f);
    CHECK(!sa.empty());
    CHECK(sa == sb);
  }
}
