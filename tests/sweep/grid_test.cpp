// Grid syntax, point order, row formatting and ranking (no runs).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "qtrader/sweep.hpp"

using qtrader::parse_sweep_axis;
using qtrader::SweepError;
using Values = std::vector<std::string>;

TEST_CASE("an integer range is inclusive, stepped from its start", "[sweep][grid]") {
  const auto a = parse_sweep_axis("fast=5:30:5");
  CHECK(a.name == "fast");
  CHECK(a.values == Values{"5", "10", "15", "20", "25", "30"});
  // The end is kept only when a step lands on it.
  CHECK(parse_sweep_axis("n=1:10:4").values == Values{"1", "5", "9"});
  CHECK(parse_sweep_axis("n=-2:2:2").values == Values{"-2", "0", "2"});
  CHECK(parse_sweep_axis("n=7:7:1").values == Values{"7"});
}

TEST_CASE("a decimal range is start + i*step, exact, with the start's or step's decimals",
          "[sweep][grid]") {
  // Accumulating 0.1 in doubles would give 0.30000000000000004 and miss 0.7's end.
  CHECK(parse_sweep_axis("risk.fraction=0.1:0.7:0.1").values ==
        Values{"0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"});
  CHECK(parse_sweep_axis("x=0.5:2:0.5").values == Values{"0.5", "1.0", "1.5", "2.0"});
  CHECK(parse_sweep_axis("x=1:1.5:0.25").values == Values{"1.00", "1.25", "1.50"});
  CHECK(parse_sweep_axis("x=-0.3:0.1:0.2").values == Values{"-0.3", "-0.1", "0.1"});
}

TEST_CASE("a list keeps its values as written, blanks trimmed", "[sweep][grid]") {
  const auto a = parse_sweep_axis("sma.slow = 20, 40 ,60");
  CHECK(a.name == "sma.slow");
  CHECK(a.values == Values{"20", "40", "60"});
  CHECK(parse_sweep_axis("mode=fast").values == Values{"fast"});
}

TEST_CASE("bad grid syntax is a SweepError naming the flag", "[sweep][grid]") {
  const auto message = [](const std::string& flag) {
    try {
      parse_sweep_axis(flag);
    } catch (const SweepError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("fast") == "--param fast: expected NAME=A:B:STEP or NAME=V1,V2,...");
  CHECK(message("=1,2") == "--param =1,2: no param name before '='");
  CHECK(message("fast=") == "--param fast=: no values after '='");
  CHECK(message("fast=5:30") == "--param fast=5:30: a range is A:B:STEP (three numbers)");
  CHECK(message("fast=5:x:5") ==
        "--param fast=5:x:5: range bounds and step must be decimal numbers (at most 9 decimals)");
  CHECK(message("fast=5:30:0") == "--param fast=5:30:0: the step must be positive");
  CHECK(message("fast=30:5:5") == "--param fast=30:5:5: the range's end is below its start");
  CHECK(message("fast=1,,2") == "--param fast=1,,2: an empty value in the list");
  CHECK(message("fast=0:1000000:1") == "--param fast=0:1000000:1: more than 100000 values");
}

TEST_CASE("the grid is the product of the axes in flag order, the last varying fastest",
          "[sweep][grid]") {
  const std::vector<qtrader::SweepAxis> axes{parse_sweep_axis("fast=5,10"),
                                             parse_sweep_axis("slow=20:60:20")};
  REQUIRE(qtrader::grid_size(axes) == 6);
  CHECK(qtrader::grid_values(axes, 0) == Values{"5", "20"});
  CHECK(qtrader::grid_values(axes, 1) == Values{"5", "40"});
  CHECK(qtrader::grid_values(axes, 2) == Values{"5", "60"});
  CHECK(qtrader::grid_values(axes, 3) == Values{"10", "20"});
  CHECK(qtrader::grid_values(axes, 5) == Values{"10", "60"});
  const auto o = qtrader::grid_overrides(axes, 4);
  REQUIRE(o.size() == 2);
  CHECK((o[0].name == "fast" && o[0].value == "10" && o[1].name == "slow" && o[1].value == "40"));
  CHECK(qtrader::grid_text(axes) == "fast=5,10 slow=20,40,60");
}

TEST_CASE("a row is one CSV line: point, params, status, metrics, quoted error", "[sweep][row]") {
  const std::vector<qtrader::SweepAxis> axes{parse_sweep_axis("fast=5"), parse_sweep_axis("mode=a")};
  CHECK(qtrader::sweep_csv_header(axes) ==
        "point,fast,mode,status,total_return,cagr,sharpe,sortino,max_drawdown,trades,win_rate,"
        "profit_factor,final_equity,calmar,omega,alpha,information_ratio,error");
  qtrader::SweepRow done{
      3, {"5", "a"}, "done", {"0.1", "", "1.5", "2", "-0.25", "7", "0.5", "", "110000", "0.4", "1.2", "", ""}, ""};
  CHECK(qtrader::format_sweep_row(done) == "3,5,a,done,0.1,,1.5,2,-0.25,7,0.5,,110000,0.4,1.2,,,");
  qtrader::SweepRow failed{4, {"5", "a"}, "failed", {}, "bad \"slow\", line 2\nmore"};
  CHECK(qtrader::format_sweep_row(failed) ==
        "4,5,a,failed,,,,,,,,,,,,,,\"bad \"\"slow\"\", line 2\nmore\"");
}

TEST_CASE("points rank highest first, the shallowest drawdown leads, undefined and failed last",
          "[sweep][row]") {
  const auto row = [](std::size_t point, std::string sharpe, std::string drawdown) {
    return qtrader::SweepRow{point, {}, "done", {"", "", sharpe, "", drawdown, "0", "", "", ""}, ""};
  };
  std::vector<qtrader::SweepRow> rows{row(0, "0.5", "-0.3"), row(1, "", "-0.1"), row(2, "1.25", "-0.2"),
                                      row(3, "0.5", "-0.05"), {4, {}, "failed", {}, "x"}};
  auto best = qtrader::best_sweep_rows(rows, "sharpe", 5);
  REQUIRE(best.size() == 4);
  CHECK((best[0].point == 2 && best[1].point == 0 && best[2].point == 3 && best[3].point == 1));
  best = qtrader::best_sweep_rows(rows, "max_drawdown", 2);
  REQUIRE(best.size() == 2);
  CHECK((best[0].point == 3 && best[1].point == 1));
  CHECK(qtrader::sweep_metric_value(rows[2], "sharpe") == 1.25);
  CHECK(std::isnan(qtrader::sweep_metric_value(rows[4], "sharpe")));
}

TEST_CASE("a selection draws distinct points, the same for a seed, and shards partition it",
          "[sweep][selection]") {
  using qtrader::SweepSelection;
  const auto all = qtrader::selected_points(10, {});
  CHECK(all == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  const auto drawn = qtrader::selected_points(1000, SweepSelection{50, 7});
  CHECK(drawn.size() == 50);
  CHECK(std::is_sorted(drawn.begin(), drawn.end()));
  CHECK(std::adjacent_find(drawn.begin(), drawn.end()) == drawn.end());
  CHECK(drawn.back() < 1000);
  CHECK(drawn == qtrader::selected_points(1000, SweepSelection{50, 7}));
  CHECK(drawn != qtrader::selected_points(1000, SweepSelection{50, 8}));
  CHECK(qtrader::selected_points(5, SweepSelection{9, 1}).size() == 5);  // more than the grid: all
  // Draws spread over the grid: each tenth of it gets some of 500 draws of 10,000.
  const auto spread = qtrader::selected_points(10000, SweepSelection{500, 3});
  for (std::size_t tenth = 0; tenth < 10; ++tenth)
    CHECK(std::count_if(spread.begin(), spread.end(), [&](std::size_t p) { return p / 1000 == tenth; }) > 20);
  // Shards: every 3rd point from the i-th, together the whole selection, once.
  std::vector<std::size_t> together;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto part = qtrader::selected_points(1000, SweepSelection{50, 7, i, 3});
    CHECK(part.size() == (i < 2 ? 17u : 16u));
    together.insert(together.end(), part.begin(), part.end());
  }
  std::sort(together.begin(), together.end());
  CHECK(together == drawn);
  CHECK(qtrader::selection_text(SweepSelection{50, 7, 1, 3}) == "random 50 seed 7, shard 1/3");
  CHECK(qtrader::whole_selection_text(SweepSelection{0, 1, 1, 3}) == "all");
  CHECK_THROWS_AS(qtrader::parse_shard("3/3"), qtrader::SweepError);
  CHECK_THROWS_AS(qtrader::parse_shard("1-3"), qtrader::SweepError);
  CHECK(qtrader::parse_shard("2/5").shard_index == 2);
}
