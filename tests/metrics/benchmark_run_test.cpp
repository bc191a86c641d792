// `benchmark:` end to end: the reference run (SMA crossover on ORCL 1995-2014,
// as tests/golden) with its benchmark given three ways writes benchmark.csv,
// and the metrics of its results folder match empyrical's. A bad benchmark is
// an error at the backtest's line before anything is written.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "expect_error.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/results.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = std::string(QTRADER_FIXTURES_DIR) + "/metrics";
const std::string kRunDir = kFixtures + "/run";

double expected(const std::string& key) {
  std::ifstream in(kFixtures + "/orcl_sma/metrics_reference.json");
  return nlohmann::json::parse(in).at("values").at(key).get<double>();
}

bool close_to(double got, double want) { return std::fabs(got - want) <= 1e-9 * std::fabs(want); }

Metrics run_with(const std::string& backtest, const test::TempDir& out) {
  const RunResult r = test::run_backtest(kRunDir + "/system.yaml", kRunDir + "/" + backtest, out.str());
  REQUIRE(fs::exists(r.results_dir + "/benchmark.csv"));
  return compute_metrics(r.results_dir);
}

void check_against_empyrical(const Metrics& m) {
  REQUIRE(m.benchmark.present);
  CHECK(close_to(m.benchmark.alpha_annual, expected("alpha_annual")));
  CHECK(close_to(m.benchmark.beta, expected("beta")));
  CHECK(close_to(m.benchmark.tracking_error, expected("tracking_error_annual")));
  CHECK(close_to(m.benchmark.information_ratio, expected("information_ratio_annual")));
  CHECK(close_to(m.benchmark.total_return, expected("benchmark_total_return")));
  CHECK(close_to(m.portfolio.distribution.cvar_95, expected("cvar_95_historical")));
}

}  // namespace

TEST_CASE("benchmark: a symbol of the backtest's source", "[metrics][benchmark]") {
  test::TempDir out("bench-symbol");
  check_against_empyrical(run_with("orcl_symbol.yaml", out));
}

TEST_CASE("benchmark: a CSV's price column", "[metrics][benchmark]") {
  test::TempDir out("bench-file");
  check_against_empyrical(run_with("orcl_file.yaml", out));
}

TEST_CASE("benchmark: a CSV of daily returns", "[metrics][benchmark]") {
  test::TempDir out("bench-returns");
  check_against_empyrical(run_with("orcl_returns.yaml", out));
}

TEST_CASE("benchmark: mistakes are errors at the backtest's line", "[metrics][benchmark]") {
  test::TempDir out("bench-bad");
  const auto error_of = [&](const std::string& file) {
    return test::expect_error<ConfigError>(
        [&] { test::run_backtest(kRunDir + "/system.yaml", kRunDir + "/" + file, out.str()); });
  };
  {
    const ConfigError e = error_of("bad_column.yaml");
    CHECK(e.file() == kRunDir + "/bad_column.yaml");
    CHECK(e.line() == 10);
    CHECK(e.key() == "benchmark.column");
  }
  {
    const ConfigError e = error_of("bad_source.yaml");
    CHECK(e.line() == 10);
    CHECK(e.key() == "benchmark.source");
    CHECK(e.reason() == "unknown data source 'nowhere' (known: sample)");
  }
  {
    const ConfigError e = error_of("both_keys.yaml");
    CHECK(e.line() == 10);
    CHECK(e.key() == "benchmark");
  }
  CHECK(fs::is_empty(out.path()));  // nothing written
}

TEST_CASE("summary.json: gross_pnl_closed is before commissions, metrics' net_pnl after",
          "[metrics][summary]") {
  test::TempDir out("summary-names");
  const RunResult r =
      test::run_backtest(kRunDir + "/system.yaml", kRunDir + "/orcl_symbol.yaml", out.str());
  std::ifstream in(r.results_dir + "/summary.json");
  const auto summary = nlohmann::json::parse(in);
  const double gross = summary.at("gross_pnl_closed").get<double>();
  // The old key stays for one release, with the same value.
  CHECK(summary.at("realized_pnl").get<double>() == gross);
  const Metrics m = compute_metrics(r.results_dir);
  // The same closed trades, summed in another order.
  CHECK(std::fabs(gross - m.trades.gross_pnl) <= 1e-9 * std::fabs(gross));
  CHECK(std::fabs(m.trades.net_pnl - (m.trades.gross_pnl - m.trades.commission)) <=
        1e-9 * std::fabs(gross));
  // Commissions of every fill: the open position's entry too.
  CHECK(summary.at("commissions").get<double>() > m.trades.commission);
}
