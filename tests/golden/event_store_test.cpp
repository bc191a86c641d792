// After a run, events.sqlite holds every event in order, and its counts agree
// with summary.json.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "qtrader/engine.hpp"

using namespace qtrader;
namespace fs = std::filesystem;

TEST_CASE("events.sqlite holds bars, signals, orders and fills in seq order", "[golden][store]") {
  const std::string fixtures = QTRADER_FIXTURES_DIR;
  EngineOptions eo;
  eo.system_config = fixtures + "/golden/system.yaml";
  Engine engine(eo);
  RunOptions ro;
  ro.output_dir = (fs::temp_directory_path() / "qtrader-store").string();
  ro.quiet = true;
  const auto run = engine.run(fixtures + "/golden/orcl.yaml", ro);

  std::ifstream in(run.results_dir + "/summary.json");
  const auto summary = nlohmann::json::parse(in);

  SQLite::Database db(run.results_dir + "/events.sqlite", SQLite::OPEN_READONLY);
  auto count = [&](const char* type) {
    SQLite::Statement q(db, "SELECT COUNT(*) FROM events WHERE type = ?");
    q.bind(1, type);
    q.executeStep();
    return q.getColumn(0).getInt64();
  };
  CHECK(count("bar") == summary.at("bars_processed").get<std::int64_t>());
  CHECK(count("bar") == 5036);
  CHECK(count("signal") == summary.at("signals").get<std::int64_t>());
  CHECK(count("order") == summary.at("orders").get<std::int64_t>());
  CHECK(count("fill") == summary.at("fills").get<std::int64_t>());
  CHECK(count("fill") == 195);  // backtrader's n_fills
  CHECK(count("backtest_start") == 1);
  CHECK(count("backtest_end") == 1);
  CHECK(count("portfolio_state") == 5036);

  SQLite::Statement all(db, "SELECT COUNT(*), MIN(seq), MAX(seq) FROM events");
  all.executeStep();
  CHECK(all.getColumn(0).getInt64() == summary.at("events").get<std::int64_t>());
  CHECK(all.getColumn(1).getInt64() == 1);
  CHECK(all.getColumn(2).getInt64() == all.getColumn(0).getInt64());

  // Time never goes backwards along seq, and each fill follows its order.
  SQLite::Statement back(db,
      "SELECT COUNT(*) FROM events a JOIN events b ON b.seq = a.seq + 1 WHERE b.ts < a.ts");
  back.executeStep();
  CHECK(back.getColumn(0).getInt64() == 0);
  SQLite::Statement orphan(db,
      "SELECT COUNT(*) FROM events f WHERE f.type = 'fill' AND NOT EXISTS ("
      " SELECT 1 FROM events o WHERE o.type = 'order' AND o.seq < f.seq"
      " AND json_extract(o.data, '$.order_id') = json_extract(f.data, '$.order_id'))");
  orphan.executeStep();
  CHECK(orphan.getColumn(0).getInt64() == 0);
  SQLite::Statement first_fill(db, "SELECT time, json_extract(data, '$.price') FROM events WHERE type='fill' ORDER BY seq LIMIT 1");
  first_fill.executeStep();
  CHECK(first_fill.getColumn(0).getString() == "1995-05-12");
  CHECK(first_fill.getColumn(1).getDouble() == 2.37037);
}
