// sma_crossover_slice (on_slice, ctx:indicators) must make sma_crossover's
// decisions: the same results files byte for byte on the golden ORCL run and
// on a three-symbol universe (docs/writing-a-strategy.md "One call per
// timestamp").
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

RunResult run_quiet(const std::string& backtest, const TempDir& out) {
  return run_backtest(kFixtures + "/golden/system.yaml", kFixtures + "/strategies/" + backtest, out.str());
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

void check_same_files(const RunResult& a, const RunResult& b) {
  for (const char* f : {"/fills.csv", "/trades.csv", "/equity.csv", "/positions.csv"}) {
    INFO(f);
    const std::string fa = file_text(a.results_dir + f), fb = file_text(b.results_dir + f);
    CHECK(!fa.empty());
    CHECK(fa == fb);
  }
}

}  // namespace

TEST_CASE("on_slice crossover gives sma_crossover's files byte for byte on golden ORCL", "[strategies][slice]") {
  TempDir out_bar("slice"), out_slice("slice");
  const auto bar = run_quiet("sma_orcl.yaml", out_bar);
  const auto slice = run_quiet("sma_orcl_slice.yaml", out_slice);
  CHECK(slice.summary.bars_processed == 5036);
  CHECK(slice.summary.trades == bar.summary.trades);
  CHECK(slice.summary.trades == 97);
  CHECK(slice.summary.final_equity == bar.summary.final_equity);
  CHECK(slice.summary.final_equity == Approx(102302.3329537001).epsilon(1e-15));
  check_same_files(bar, slice);
}

TEST_CASE("on_slice crossover gives sma_crossover's files byte for byte on three symbols", "[strategies][slice]") {
  TempDir out_bar("slice"), out_slice("slice");
  const auto bar = run_quiet("sma_universe.yaml", out_bar);
  const auto slice = run_quiet("sma_universe_slice.yaml", out_slice);
  CHECK(slice.summary.bars_processed == 13761);
  CHECK(slice.summary.trades == bar.summary.trades);
  CHECK(slice.summary.trades == 259);
  CHECK(slice.summary.final_equity == bar.summary.final_equity);
  CHECK(slice.summary.final_equity == Approx(110827.472487).epsilon(1e-15));
  check_same_files(bar, slice);
}
