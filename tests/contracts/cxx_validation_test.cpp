// The engine's own validator (store/contract_schemas.hpp: valijson over the
// bundled contracts) gives the verdicts Python's jsonschema gives
// (contract_validation_test.cpp) on the examples, on one invalid instance per
// schema and on a whole run, and `qtrader events --validate` names the first
// event a tampered store gets wrong.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "file_text.hpp"
#include "run_backtest.hpp"
#include "shell_command.hpp"
#include "store/contract_schemas.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kFixtures = std::string(QTRADER_FIXTURES_DIR) + "/contracts";
const std::string kQtrader = QTRADER_BINARY;

const qtrader::contracts::ContractSchemas& schemas() {
  static const auto loaded = qtrader::contracts::ContractSchemas::load(QTRADER_CONTRACTS_DIR);
  return loaded;
}

std::vector<fs::path> json_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("the C++ validator loads every contract and accepts every example", "[contracts]") {
  CHECK(schemas().size() == 16);
  const auto examples = json_files(fs::path(QTRADER_CONTRACTS_DIR) / "examples");
  CHECK(examples.size() == 15);
  for (const auto& file : examples) {
    INFO(file.string());
    CHECK(schemas().problems(qtrader::test::file_text(file)).empty());
  }
}

TEST_CASE("the C++ validator refuses each invalid instance where jsonschema does", "[contracts]") {
  std::string verdicts;
  const fs::path root = kFixtures + "/invalid";
  for (const auto& file : json_files(root)) {
    const auto problems = schemas().problems(qtrader::test::file_text(file));
    verdicts += file.lexically_relative(root).string() + ": " +
                (problems.empty() ? "valid" : problems.front()) + "\n";
  }
  CHECK(verdicts ==
        "data/bar.v1.json: data: Object contains a property that could not be validated using 'properties' "
        "or 'additionalProperties' constraints: 'vwap'.\n"
        "data/corporate_action.v1.json: data/action: Failed to match against any enum values.\n"
        "engine/backtest_end.v1.json: occurred_at: Failed to match regex specified by 'pattern' constraint.\n"
        "engine/backtest_start.v1.json: data/initial_equity: Value type not permitted by 'type' constraint.\n"
        "engine/risk_evaluation_trigger.v1.json: correlation_id: Value type not permitted by 'type' constraint.\n"
        "engine/valuation_trigger.v1.json: data: Object contains a property that could not be validated using "
        "'properties' or 'additionalProperties' constraints: 'ts'.\n"
        "envelope/uppercase_event_id.json: event_id: Failed to match regex specified by 'pattern' constraint.\n"
        "execution/fill.v1.json: data/price: Value type not permitted by 'type' constraint.\n"
        "execution/order_update.v1.json: data/status: Failed to match against any enum values.\n"
        "portfolio/portfolio_state.v1.json: data/open_positions: Value type not permitted by 'type' constraint.\n"
        "risk/order.v1.json: data/quantity: Expected number greater than 0.000000\n"
        "risk/order_rejected.v1.json: data/reason: String should be no fewer than 1 characters in length.\n"
        "strategy/cancel_request.v1.json: data/order_id: Expected number greater than or equal to 1.000000\n"
        "strategy/modify_order.v1.json: data/quantity: Expected number greater than 0.000000\n"
        "strategy/record.v1.json: data: Missing required property 'name'.\n"
        "strategy/signal.v1.json: data/intention: Failed to match against any enum values.\n");
}

TEST_CASE("qtrader events --validate checks a whole run and names a tampered event", "[contracts][run]") {
  const qtrader::test::TempDir dir("contracts-cxx");
  const std::string run =
      qtrader::test::run_backtest(kFixtures + "/system.yaml", kFixtures + "/multi_strategy.yaml",
                                  (dir / "runs").string())
          .results_dir;
  const std::string contracts = std::string(" --contracts ") + QTRADER_CONTRACTS_DIR;
  const auto good = qtrader::test::run_shell(kQtrader + " events " + run + " --validate" + contracts + " 2>&1");
  CHECK(good.status == 0);
  CHECK(good.out == "13020 events checked against " + std::string(QTRADER_CONTRACTS_DIR) + " (16 schemas): 0 invalid\n");

  // One fill's price made a string, another's quantity negative.
  const fs::path copy = dir / "tampered";
  fs::create_directories(copy);
  fs::copy_file(fs::path(run) / "events.sqlite", copy / "events.sqlite");
  {
    SQLite::Database db((copy / "events.sqlite").string(), SQLite::OPEN_READWRITE);
    db.exec("UPDATE events SET data = json_set(data, '$.price', 'cheap') WHERE seq = "
            "(SELECT MIN(seq) FROM events WHERE type = 'fill')");
    db.exec("UPDATE events SET data = json_set(data, '$.quantity', -5) WHERE seq = "
            "(SELECT MAX(seq) FROM events WHERE type = 'fill')");
  }
  const auto bad = qtrader::test::run_shell(kQtrader + " events " + copy.string() + " --validate" + contracts + " 2>&1");
  CHECK(bad.status == 1);
  const std::string store = (copy / "events.sqlite").string();
  CHECK(bad.out == store + ": event 12 (fill): data/price: Value type not permitted by 'type' constraint.\n" +
                       store + ": event 12961 (fill): data/quantity: Expected number greater than 0.000000\n" +
                       "13020 events checked against " + QTRADER_CONTRACTS_DIR + " (16 schemas): 2 invalid\n");
}

TEST_CASE("a run with validate_events completes when every event keeps its contract", "[contracts][run]") {
  const qtrader::test::TempDir dir("contracts-run-valid");
  auto ro = qtrader::test::quiet_run_options();
  ro.output_dir = (dir / "runs").string();
  ro.validate_events = true;
  const auto result = qtrader::test::run_backtest(kFixtures + "/system.yaml", kFixtures + "/multi_strategy.yaml", ro);
  CHECK(result.summary.trades > 0);
}

TEST_CASE("a run with validate_events fails naming the events that break a contract", "[contracts][run]") {
  // A data folder whose fill contract allows no price above 1: every fill of
  // the run breaks it, and the run is recorded as failed.
  const qtrader::test::TempDir dir("contracts-run-invalid");
  const fs::path home = dir / "home";
  fs::create_directories(home);
  for (const char* part : {"strategies", "scripts", "config", "data"})
    fs::create_directory_symlink(fs::path(QTRADER_SOURCE_DIR) / part, home / part);
  fs::copy(QTRADER_CONTRACTS_DIR, home / "contracts", fs::copy_options::recursive);
  {
    const fs::path fill = home / "contracts" / "execution" / "fill.v1.json";
    auto schema = nlohmann::json::parse(qtrader::test::file_text(fill));
    schema["properties"]["data"]["properties"]["price"]["maximum"] = 1;
    std::ofstream(fill) << schema.dump(2);
  }
  qtrader::EngineOptions eo;
  eo.root = home.string();
  eo.system_config = kFixtures + "/system.yaml";
  auto ro = qtrader::test::quiet_run_options();
  ro.output_dir = (dir / "runs").string();
  ro.validate_events = true;
  std::string error;
  try {
    qtrader::Engine(eo).run(kFixtures + "/multi_strategy.yaml", ro);
  } catch (const std::exception& e) {
    error = e.what();
  }
  const std::string leaf = "data/price: Expected number less than or equal to 1.000000";
  CHECK(error == "483 of 13020 events break their contract (" + (home / "contracts").string() + "); event 12 (fill): " +
                     leaf + "; event 58 (fill): " + leaf + "; event 61 (fill): " + leaf);
  std::vector<fs::path> runs;
  for (const auto& e : fs::directory_iterator(dir / "runs")) runs.push_back(e.path());
  REQUIRE(runs.size() == 1);
  SQLite::Database db((runs.front() / "events.sqlite").string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT status FROM runs").getString() == "failed");
}
