// A strategy's own `config: {warmup_bars: N}` (issue 11, item 9): that
// strategy's first N bars are warm-up; another strategy of the run is not.
#include <catch2/catch.hpp>

#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("warm-up: a strategy's config warmup_bars warms up that strategy only",
          "[strategies][warmup]") {
  const RunResult run = run_fixture("strategy_warmup.yaml");
  const CsvTable t = read_csv(run.results_dir + "/records.csv");
  std::vector<std::string> early, plain;  // "DATE name value" of the first 5 bars
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    if (t.at(i, "name") != "warmup" || t.at(i, "timestamp") > "1995-01-09") continue;
    auto& out = t.at(i, "strategy_id") == "early" ? early : plain;
    out.push_back(t.at(i, "timestamp").substr(0, 10) + " " +
                  std::to_string(static_cast<int>(std::stod(t.at(i, "value")))));
  }
  CHECK(early == std::vector<std::string>{"1995-01-03 1", "1995-01-04 1", "1995-01-05 1",
                                          "1995-01-06 0", "1995-01-09 0"});
  CHECK(plain == std::vector<std::string>{"1995-01-03 0", "1995-01-04 0", "1995-01-05 0",
                                          "1995-01-06 0", "1995-01-09 0"});
  // early's signals 1-3 are refused; plain's five and early's last two become orders.
  CHECK(run.summary.rejections == 3);
  CHECK(run.summary.signals == 7);
}
