// Orders from on_fill and on_order (issue #12): a stop placed inside on_fill
// is first eligible on the bar after the fill, exactly as one carried to the
// next on_bar, so both placements give the same trades to the byte.
#include <catch2/catch.hpp>

#include "file_text.hpp"
#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

RunResult run_placing_stops_in(const std::string& where, const std::string& dir) {
  EngineOptions eo;
  eo.system_config = kFixtures + "/golden/system.yaml";
  Engine engine(eo);
  RunOptions ro;
  ro.output_dir = dir;
  ro.quiet = true;
  ro.params = {{"place_in", where}};
  return engine.run(kFixtures + "/strategies/stop_placement.yaml", ro);
}

}  // namespace

TEST_CASE("a stop placed in on_fill trades exactly as one carried to the next on_bar",
          "[strategies][commands]") {
  const std::string base = process_temp_dir().str();
  const RunResult in_fill = run_placing_stops_in("fill", base + "/fill");
  const RunResult in_bar = run_placing_stops_in("bar", base + "/bar");

  const std::string trades = file_text(in_fill.results_dir + "/trades.csv");
  CHECK(trades == file_text(in_bar.results_dir + "/trades.csv"));
  CHECK(file_text(in_fill.results_dir + "/fills.csv") == file_text(in_bar.results_dir + "/fills.csv"));
  CHECK(file_text(in_fill.results_dir + "/equity.csv") == file_text(in_bar.results_dir + "/equity.csv"));

  // The stops matter: some trades end at a stop (an exit at 95 % of the
  // entry or below), and none exits on the bar of its own entry.
  const CsvTable t = read_csv(in_fill.results_dir + "/trades.csv");
  REQUIRE(t.rows.size() > 10);
  // trades.csv says which: exit_reason "stop" with the stop signal's tag, or
  // "signal" with the RSI exit's.
  std::size_t stopped = 0;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    CHECK(t.at(i, "exit_time") > t.at(i, "entry_time"));
    CHECK(t.num(i, "signal_id") > 0);
    CHECK(t.at(i, "tag").empty());
    const bool at_stop = t.num(i, "exit_price") <= t.num(i, "entry_price") * 0.95 + 1e-9;
    if (t.at(i, "exit_reason") == "stop") {
      ++stopped;
      CHECK(t.at(i, "exit_tag") == "stop");
    } else {
      CHECK(t.at(i, "exit_reason") == "signal");
      CHECK(t.at(i, "exit_tag") == "exit");
      CHECK_FALSE(at_stop);
    }
  }
  CHECK(stopped > 0);
}
