// ctx:optimize through a whole run: the weights a strategy gets equal the
// two-asset closed form over the same closes, and nil until the history is long enough.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "csv_table.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

void write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  std::filesystem::create_directories((dir / name).parent_path());
  std::ofstream(dir / name) << text;
}

std::string bars_of(const std::vector<double>& closes) {
  const char* days[] = {"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09"};
  std::string text = "Date,Open,High,Low,Close,Volume\n";
  for (std::size_t i = 0; i < closes.size(); ++i) {
    const std::string c = std::to_string(closes[i]);
    text += std::string(days[i]) + "," + c + "," + c + "," + c + "," + c + ",1000\n";
  }
  return text;
}

// Two-asset minimum variance over the returns of closes [first, first + 5).
double w_a(const std::vector<double>& a, const std::vector<double>& b, std::size_t first) {
  std::vector<double> ra, rb;
  for (std::size_t t = first + 1; t < first + 5; ++t) {
    ra.push_back(a[t] / a[t - 1] - 1);
    rb.push_back(b[t] / b[t - 1] - 1);
  }
  double ma = 0, mb = 0;
  for (int i = 0; i < 4; ++i) ma += ra[i] / 4, mb += rb[i] / 4;
  double saa = 0, sbb = 0, sab = 0;
  for (int i = 0; i < 4; ++i) {
    saa += (ra[i] - ma) * (ra[i] - ma) / 3;
    sbb += (rb[i] - mb) * (rb[i] - mb) / 3;
    sab += (ra[i] - ma) * (rb[i] - mb) / 3;
  }
  return (sbb - sab) / (saa + sbb - 2 * sab);
}

// Runs optimize_probe on A and B (their CSV texts); records.csv's names and values.
std::pair<std::vector<std::string>, std::vector<double>> probe_records(const test::TempDir& dir,
                                                                       const std::string& a_csv,
                                                                       const std::string& b_csv) {
  write(dir, "system.yaml", "logging: {level: error, file: false}\noutput: {organize_by_date: false}\n");
  write(dir, "data/A.csv", a_csv);
  write(dir, "data/B.csv", b_csv);
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-01-31\ninitial_equity: 100000\n"
        "script_paths: [" + std::string(QTRADER_FIXTURES_DIR) + "/signals]\n"
        "data: {sources: [{name: d, path: data, layout: ohlcv, universe: [A, B]}]}\n"
        "strategies: [{strategy_id: p, name: optimize_probe, universe: [A, B]}]\n");
  const RunResult run =
      test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
  const test::CsvTable t = test::read_csv(run.results_dir + "/records.csv");
  std::pair<std::vector<std::string>, std::vector<double>> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i) out.first.push_back(t.at(i, "name")), out.second.push_back(t.num(i, "value"));
  return out;
}

}  // namespace

TEST_CASE("ctx:optimize gives a strategy the closed-form minimum variance weights") {
  test::TempDir dir("optimize");
  const std::vector<double> a = {100, 102, 101, 104, 103, 105}, b = {50, 50.5, 51, 50.2, 50.9, 51.3};
  const auto [names, values] = probe_records(dir, bars_of(a), bars_of(b));
  REQUIRE(names == std::vector<std::string>{"none", "none", "none", "none", "w_A", "w_B", "w_A", "w_B"});
  CHECK(values[4] == Approx(w_a(a, b, 0)).margin(1e-12));
  CHECK(values[5] == Approx(1 - w_a(a, b, 0)).margin(1e-12));
  CHECK(values[6] == Approx(w_a(a, b, 1)).margin(1e-12));
  CHECK(values[7] == Approx(1 - w_a(a, b, 1)).margin(1e-12));
}

TEST_CASE("ctx:optimize lines the symbols up by time when one misses a bar") {
  test::TempDir dir("optimize");
  // B has no bar on 2024-01-04: the returns are taken over the five days both
  // have, A's 01-03 -> 01-05 return spanning the gap as B's does.
  const std::vector<double> a = {100, 102, 101, 104, 103, 105}, b = {50, 50.5, 50.2, 50.9, 51.3};
  const char* b_days[] = {"2024-01-02", "2024-01-03", "2024-01-05", "2024-01-08", "2024-01-09"};
  std::string b_text = "Date,Open,High,Low,Close,Volume\n";
  for (std::size_t i = 0; i < b.size(); ++i) {
    const std::string c = std::to_string(b[i]);
    b_text += std::string(b_days[i]) + "," + c + "," + c + "," + c + "," + c + ",1000\n";
  }
  const auto [names, values] = probe_records(dir, bars_of(a), b_text);
  // Five bars of A before the five common times exist.
  REQUIRE(names == std::vector<std::string>{"none", "none", "none", "none", "none", "w_A", "w_B"});
  const std::vector<double> a_aligned = {a[0], a[1], a[3], a[4], a[5]};
  CHECK(values[5] == Approx(w_a(a_aligned, b, 0)).margin(1e-12));
  CHECK(values[6] == Approx(1 - w_a(a_aligned, b, 0)).margin(1e-12));
}

TEST_CASE("A bad ctx:optimize call fails the run naming the problem") {
  test::TempDir dir("optimize");
  write(dir, "system.yaml", "logging: {level: error, file: false}\noutput: {organize_by_date: false}\n");
  write(dir, "data/A.csv", bars_of({100, 101, 102}));
  write(dir, "data/B.csv", bars_of({50, 51, 52}));
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-01-31\ninitial_equity: 100000\n"
        "script_paths: [" + std::string(QTRADER_FIXTURES_DIR) + "/signals]\n"
        "data: {sources: [{name: d, path: data, layout: ohlcv, universe: [A, B]}]}\n"
        "strategies: [{strategy_id: p, name: optimize_probe, universe: [A, B], config: {method: minimum}}]\n");
  try {
    test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
    FAIL("the run should fail");
  } catch (const std::exception& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(what.find("optimize_probe.lua:15: ctx:optimize: method must be \"min_variance\", \"mean_variance\", "
                    "\"risk_parity\" or \"max_diversification\", got minimum") != std::string::npos);
  }
}
