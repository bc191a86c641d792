// qtrader replay: the multi-strategy run's files rebuilt from its events alone
// are byte-identical to the run's own; a copy whose first fill was tampered
// with is refused, naming the first event the replay disagrees with.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "file_text.hpp"

#include "run_backtest.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kFixtures = std::string(QTRADER_FIXTURES_DIR) + "/contracts";
const std::string kQtrader = QTRADER_BINARY;

}  // namespace

TEST_CASE("qtrader replay rebuilds a run's files from its events byte for byte", "[contracts][replay]") {
  const qtrader::test::TempDir dir("replay");
  const std::string run = qtrader::test::run_backtest(kFixtures + "/system.yaml", kFixtures + "/multi_strategy.yaml",
                                                      (dir / "runs").string(), /*report=*/true)
                              .results_dir;
  const auto r = qtrader::test::run_shell(kQtrader + " replay " + run + " 2>&1");
  CHECK(r.status == 0);
  CHECK(r.out ==
        "replayed 13020 events (1510 portfolio states): trades.csv, fills.csv, equity.csv, positions.csv, "
        "records.csv, metrics.json, summary.json identical\n");

  // A copy whose first fill (event 12, bought at 23.966667) is 1 cent dearer.
  const fs::path copy = dir / "tampered";
  fs::copy(run, copy, fs::copy_options::recursive);
  {
    SQLite::Database db((copy / "events.sqlite").string(), SQLite::OPEN_READWRITE);
    CHECK(db.exec("UPDATE events SET data = json_set(data, '$.price', 23.976667) WHERE seq = 12 AND type = 'fill'") == 1);
  }
  const auto t = qtrader::test::run_shell(kQtrader + " replay " + copy.string() + " 2>&1");
  CHECK(t.status == 1);
  CHECK(t.out ==
        "replay: event 17 (portfolio_state at 2007-01-04) differs from the replay (the last fill before it: event 12):\n"
        "  stored   {\"cash\":997600.9366333,\"equity\":999994.9367333,\"gross_exposure\":2394.0000999999997,"
        "\"net_exposure\":2394.0000999999997,\"realized_pnl\":0,\"unrealized_pnl\":-2.66660000000023,\"open_positions\":1}\n"
        "  replayed {\"cash\":997599.9366333,\"equity\":999993.9367333,\"gross_exposure\":2394.0000999999997,"
        "\"net_exposure\":2394.0000999999997,\"realized_pnl\":0,\"unrealized_pnl\":-3.666600000000031,\"open_positions\":1}\n");
}

TEST_CASE("qtrader replay checks summary.json's counts and money against the events", "[contracts][replay]") {
  const qtrader::test::TempDir dir("replay-summary");
  const std::string run = qtrader::test::run_backtest(kFixtures + "/system.yaml", kFixtures + "/multi_strategy.yaml",
                                                      (dir / "runs").string())
                              .results_dir;
  const auto summary = nlohmann::json::parse(qtrader::test::file_text(fs::path(run) / "summary.json"));
  // One figure at a time made wrong in a copy of the run's folder.
  const std::vector<std::pair<std::string, nlohmann::json>> wrong = {
      {"fills", summary["fills"].get<std::uint64_t>() + 1},
      {"trades", 0},
      {"final_equity", summary["final_equity"].get<double>() + 0.01}};
  for (const auto& [key, value] : wrong) {
    INFO(key);
    const fs::path copy = dir / ("wrong-" + key);
    fs::copy(run, copy, fs::copy_options::recursive);
    auto changed = summary;
    changed[key] = value;
    std::ofstream(copy / "summary.json") << changed.dump(2);
    const auto r = qtrader::test::run_shell(kQtrader + " replay " + copy.string() + " 2>&1");
    CHECK(r.status == 1);
    CHECK(r.out == "replay: summary.json: " + key + " is " + value.dump() + ", the replay gives " + summary[key].dump() + "\n");
  }
}

TEST_CASE("qtrader replay refuses a folder without a store", "[contracts][replay]") {
  const qtrader::test::TempDir dir("replay-none");
  const auto r = qtrader::test::run_shell(kQtrader + " replay " + dir.str() + " 2>&1");
  CHECK(r.status == 2);
  CHECK(r.out == "error: " + dir.str() +
                     ": no events.sqlite (not a run's results folder, or its event store was in memory)\n");
}

TEST_CASE("an intraday run that records NaN replays identically and exports valid events", "[contracts][replay]") {
  // tests/fixtures/bars: 5-minute bars, timestamps as instants, and a script
  // that records an indicator before it is ready (-nan in records.csv).
  const qtrader::test::TempDir dir("replay-intraday");
  const std::string bars = std::string(QTRADER_FIXTURES_DIR) + "/bars";
  const std::string run =
      qtrader::test::run_backtest(bars + "/system.yaml", bars + "/mtf.yaml", (dir / "runs").string(), true).results_dir;
  const auto r = qtrader::test::run_shell(kQtrader + " replay " + run + " 2>&1");
  CHECK(r.status == 0);
  CHECK(r.out ==
        "replayed 9548 events (1020 portfolio states): trades.csv, fills.csv, equity.csv, positions.csv, "
        "records.csv, metrics.json, summary.json identical\n");
  const std::string jsonl = (dir / "events.jsonl").string();
  REQUIRE(qtrader::test::run_shell(kQtrader + " events " + run + " > " + jsonl).status == 0);
  const auto v = qtrader::test::run_shell(std::string(QTRADER_PYTHON) + " " + QTRADER_SOURCE_DIR +
                                          "/tests/contracts/validate_events.py " + QTRADER_CONTRACTS_DIR +
                                          " events " + jsonl + " 2>&1");
  INFO(v.out);
  CHECK(v.status == 0);
  CHECK(v.out ==
        "backtest_end 1\nbacktest_start 1\nbar 1020\nportfolio_state 1020\nrecord 5466\n"
        "risk_evaluation_trigger 1020\nvaluation_trigger 1020\n");
  const auto nan = qtrader::test::run_shell("grep -c '\"value\":\"-nan\"' " + jsonl);
  CHECK(nan.out == "2\n");
}
