// `qtrader events` filters (type, symbol, time), its CSV form, its errors,
// and the `bar_rows` view of events.sqlite read against the chunk decoder.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "run_backtest.hpp"
#include "shell_command.hpp"
#include "store/bar_rows.hpp"
#include "temp_dir.hpp"

namespace {

const std::string kFixtures = std::string(QTRADER_FIXTURES_DIR) + "/contracts";
const std::string kQtrader = QTRADER_BINARY;

// The split run of tests/fixtures/actions: NVDA on raw prices, 2007-08-27 .. 2007-09-21.
std::string run_split(const qtrader::test::TempDir& dir) {
  const std::string actions = std::string(QTRADER_FIXTURES_DIR) + "/actions";
  return qtrader::test::run_backtest(actions + "/system.yaml", actions + "/split.yaml", (dir / "runs").string())
      .results_dir;
}

}  // namespace

TEST_CASE("qtrader events filters by type, symbol and time", "[contracts][cli]") {
  const qtrader::test::TempDir dir("events-filter");
  const std::string run = run_split(dir);
  const auto r = qtrader::test::run_shell(kQtrader + " events " + run +
                                          " --type bar,corporate_action --symbol NVDA --from 2007-09-10 --to 2007-09-12");
  REQUIRE(r.status == 0);
  std::istringstream in(r.out);
  std::vector<std::string> got;
  for (std::string line; std::getline(in, line);) {
    const auto e = nlohmann::ordered_json::parse(line);
    got.push_back(std::string(e["type"]) + " " + std::string(e["occurred_at"]) + " " + e["data"].dump());
  }
  // The split is announced on its ex-date's bar, before anything trades on it.
  CHECK(got == std::vector<std::string>{
                   "bar 2007-09-10T00:00:00Z {\"symbol\":\"NVDA\",\"open\":51.75,\"high\":52.65,\"low\":50.37,\"close\":50.79,\"volume\":14535200.0,\"adj_close\":31.337944}",
                   "bar 2007-09-11T00:00:00Z {\"symbol\":\"NVDA\",\"open\":34.27,\"high\":34.84,\"low\":33.91,\"close\":34.58,\"volume\":10135600.0,\"adj_close\":32.004322}",
                   "corporate_action 2007-09-11T00:00:00Z {\"symbol\":\"NVDA\",\"action\":\"split\",\"value\":1.5,\"ex_date\":\"2007-09-11T00:00:00Z\"}",
                   "bar 2007-09-12T00:00:00Z {\"symbol\":\"NVDA\",\"open\":34.95,\"high\":35.12,\"low\":32.88,\"close\":33.22,\"volume\":13861300.0,\"adj_close\":30.745615}"});
}

TEST_CASE("qtrader events as CSV quotes the data column", "[contracts][cli]") {
  const qtrader::test::TempDir dir("events-csv");
  const std::string run = run_split(dir);
  const auto r = qtrader::test::run_shell(kQtrader + " events " + run + " --type fill --format csv");
  REQUIRE(r.status == 0);
  CHECK(r.out ==
        "seq,event_id,occurred_at,type,schema,source_service,correlation_id,causation_id,symbol,strategy_id,data\n"
        "10,b97d67b6-6c0f-8593-bb36-7e684c9ddc42,2007-08-28T00:00:00Z,fill,fill.v1,execution,"
        "2d73d3aa-bd15-8b35-aaab-481494e65c14,6f7d34c3-59d4-8981-a1a1-9e255ad7550c,NVDA,bh,"
        "\"{\"\"strategy_id\"\":\"\"bh\"\",\"\"symbol\"\":\"\"NVDA\"\",\"\"order_id\"\":1,\"\"side\"\":\"\"buy\"\","
        "\"\"quantity\"\":100,\"\"price\"\":49.5,\"\"commission\"\":4.95,\"\"signal_id\"\":1}\"\n");
}

TEST_CASE("qtrader events refuses an unknown type and a folder without a store", "[contracts][cli]") {
  const qtrader::test::TempDir dir("events-errors");
  auto r = qtrader::test::run_shell(kQtrader + " events " + dir.str() + " 2>&1");
  CHECK(r.status == 2);
  CHECK(r.out == "error: " + dir.str() +
                     ": no events.sqlite (not a run's results folder, or its event store was in memory)\n");
  const std::string run = run_split(dir);
  r = qtrader::test::run_shell(kQtrader + " events " + run + " --type fills 2>&1");
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::StartsWith("error: --type: unknown event type \"fills\" (one of backtest_start, bar,"));
  r = qtrader::test::run_shell(kQtrader + " events " + run + " --from 2007-13-01 2>&1");
  CHECK(r.status == 2);
  CHECK(r.out == "error: --from: \"2007-13-01\" is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)\n");
}

TEST_CASE("the bar_rows view reads every bar exactly as the chunk decoder does", "[contracts][store]") {
  const qtrader::test::TempDir dir("events-view");
  const std::string run = run_split(dir);
  {
    // A compact store keeps its bars in the bar cache: the view sees them
    // once `qtrader events --copy-bars` has copied them into the file.
    SQLite::Database db(run + "/events.sqlite", SQLite::OPEN_READONLY);
    CHECK(qtrader::bar_rows::read(db, "NVDA").size() == 19);
    CHECK(db.execAndGet("SELECT COUNT(*) FROM bar_rows").getInt() == 0);
  }
  const auto copied = qtrader::test::run_shell(kQtrader + " events " + run + " --copy-bars");
  REQUIRE(copied.status == 0);
  SQLite::Database db(run + "/events.sqlite", SQLite::OPEN_READONLY);
  const auto decoded = qtrader::bar_rows::read(db, "NVDA");
  SQLite::Statement q(db, "SELECT seq, symbol, ts, open, high, low, close, volume, adj_close FROM bar_rows ORDER BY seq");
  std::size_t i = 0;
  while (q.executeStep()) {
    REQUIRE(i < decoded.size());
    const auto& b = decoded[i++];
    CHECK(q.getColumn(0).getInt64() == static_cast<std::int64_t>(b.seq));
    CHECK(q.getColumn(1).getString() == "NVDA");
    CHECK(q.getColumn(2).getInt64() == b.ts);
    CHECK(q.getColumn(3).getDouble() == b.open);
    CHECK(q.getColumn(4).getDouble() == b.high);
    CHECK(q.getColumn(5).getDouble() == b.low);
    CHECK(q.getColumn(6).getDouble() == b.close);
    CHECK(q.getColumn(7).getDouble() == b.volume);
    if (std::isnan(b.adj_close))
      CHECK(q.getColumn(8).isNull());
    else
      CHECK(q.getColumn(8).getDouble() == b.adj_close);
  }
  CHECK(i == decoded.size());
  CHECK(i == 19);
}

TEST_CASE("a store written before fills carried their signal exports valid fills", "[contracts][cli]") {
  // The fill rows of an older qtrader: no signal_id, which the export takes
  // from the fill's order.
  const qtrader::test::TempDir dir("events-older");
  const std::string run = run_split(dir);
  {
    SQLite::Database db(run + "/events.sqlite", SQLite::OPEN_READWRITE);
    // The compact store's rows: signal_id is the key "a" (store/compact_keys.cpp).
    CHECK(db.exec("UPDATE event_rows SET data = json_remove(data, '$.a') WHERE type_id ="
                  " (SELECT id FROM event_types WHERE name = 'fill')") == 1);
  }
  const auto r = qtrader::test::run_shell(kQtrader + " events " + run + " --type fill");
  REQUIRE(r.status == 0);
  const auto e = nlohmann::ordered_json::parse(r.out);
  CHECK(e["data"].dump() ==
        R"({"strategy_id":"bh","symbol":"NVDA","order_id":1,"side":"buy","quantity":100,"price":49.5,"commission":4.95,"signal_id":1})");
  CHECK(e["correlation_id"] == "2d73d3aa-bd15-8b35-aaab-481494e65c14");
}
