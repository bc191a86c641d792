// Target positions (issue #12): ctx:target_quantity/value/percent order the
// difference from the strategy's position, sign included, as backtrader's
// order_target_*; a target across zero closes, then opens.
#include <catch2/catch.hpp>

#include <cmath>

#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("targets: each call orders the difference from the position", "[strategies][targets]") {
  const RunResult run = run_fixture("targets.yaml");
  const CsvTable records = read_csv(run.results_dir + "/records.csv");
  std::vector<std::string> counts;
  double equity = NAN, close = NAN;
  for (std::size_t i = 0; i < records.rows.size(); ++i) {
    if (records.at(i, "name") == "signals") counts.push_back(records.at(i, "value"));
    if (records.at(i, "name") == "equity") equity = records.num(i, "value");
    if (records.at(i, "name") == "close") close = records.num(i, "value");
  }
  // 100 from flat: 1; down to 30: 1; to -50: close 30, open 50; to 50 % of
  // equity: close 50, open; to 0: 1; 0 when flat: none.
  CHECK(counts == std::vector<std::string>{"1", "1", "2", "2", "1", "0"});

  // Whole shares, towards zero, from the equity and close the call saw.
  const double half = std::trunc(0.5 * equity / close);
  REQUIRE(half > 0);
  const auto bars = sample_bars("ORCL", "1995-01-03", "1995-01-31");
  struct Fill {
    std::string date, side;
    double quantity, price;
  };
  // Each signal of bar k fills at bar k+1's open (the policy's 7 shares
  // never apply: a target names its quantity).
  const std::vector<Fill> want{{bars[1].date, "buy", 100, bars[1].open},
                               {bars[2].date, "sell", 70, bars[2].open},
                               {bars[3].date, "sell", 30, bars[3].open},
                               {bars[3].date, "sell", 50, bars[3].open},
                               {bars[4].date, "buy", 50, bars[4].open},
                               {bars[4].date, "buy", half, bars[4].open},
                               {bars[5].date, "sell", half, bars[5].open}};
  const CsvTable fills = read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("fill " << i);
    CHECK(fills.at(i, "timestamp") == want[i].date);
    CHECK(fills.at(i, "side") == want[i].side);
    CHECK(fills.num(i, "quantity") == want[i].quantity);
    CHECK(fills.num(i, "price") == want[i].price);
  }
  CHECK(run.summary.open_positions.empty());

  // positions.csv: the day-end book, valued at the close, weighed in equity.
  const CsvTable positions = read_csv(run.results_dir + "/positions.csv");
  const CsvTable equity_rows = read_csv(run.results_dir + "/equity.csv");
  const std::vector<std::pair<std::string, double>> held{
      {bars[1].date, 100}, {bars[2].date, 30}, {bars[3].date, -50}, {bars[4].date, half}};
  REQUIRE(positions.rows.size() == held.size());
  for (std::size_t i = 0; i < held.size(); ++i) {
    INFO("day " << held[i].first);
    CHECK(positions.at(i, "timestamp") == held[i].first);
    CHECK(positions.at(i, "symbol") == "ORCL");
    CHECK(positions.num(i, "quantity") == held[i].second);
    CHECK(positions.num(i, "price") == bars[i + 1].close);
    CHECK(positions.num(i, "market_value") == held[i].second * bars[i + 1].close);
    CHECK(positions.num(i, "weight") == positions.num(i, "market_value") / equity_rows.num(i + 1, "equity"));
  }
}
