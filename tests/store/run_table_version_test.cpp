// The runs row names the engine that ran it; a runs table made by an older
// qtrader gains the columns (as it gained libraries and pid before).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "qtrader/event_bus.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/version.hpp"
#include "store/event_store.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
namespace fs = std::filesystem;

TEST_CASE("a runs table of an older qtrader gains the version columns and the row names the engine",
          "[store][version]") {
  const test::TempDir tmp("runs-version");
  const fs::path db_path = tmp.path() / "events.sqlite";
  {
    // The runs table as qtrader 0.1.0 made it before libraries, pid and pid_start.
    SQLite::Database db(db_path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE runs (id TEXT PRIMARY KEY, backtest TEXT NOT NULL, config_hash TEXT NOT NULL,"
            " scripts TEXT NOT NULL, params TEXT, status TEXT NOT NULL, message TEXT,"
            " progress REAL NOT NULL, sim_time TEXT, bars INTEGER NOT NULL, wall_start TEXT NOT NULL,"
            " wall_end TEXT)");
    db.exec("INSERT INTO runs VALUES ('old', 'bt.yaml', 'h', '[]', NULL, 'completed', NULL, 100, NULL,"
            " 5, '2025-01-01T00:00:00', NULL)");
  }
  {
    EventBus bus;
    SymbolTable symbols;
    symbols.intern("AAA");
    EventStoreConfig config;
    auto store = EventStore::open(config, tmp.path().string(), bus, symbols, {"s"});
    EventStore::RunInfo info;
    info.id = "new";
    info.backtest = "bt.yaml";
    info.config_hash = "h";
    info.scripts_json = "[]";
    info.wall_start = "2026-01-01T00:00:00";
    store->begin_run(info);
    store->finish_run(EventStore::RunEnd::Completed, {}, "2026-01-01T00:00:01");
  }
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT id, qtrader_version, qtrader_commit FROM runs ORDER BY id");
  std::vector<std::vector<std::string>> rows;
  while (q.executeStep())
    rows.push_back({q.getColumn(0).getString(), q.getColumn(1).isNull() ? "NULL" : q.getColumn(1).getString(),
                    q.getColumn(2).isNull() ? "NULL" : q.getColumn(2).getString()});
  const std::vector<std::vector<std::string>> expected{
      {"new", std::string(version()), std::string(git_commit())},
      {"old", "NULL", "NULL"}};  // an older run does not pretend to know its engine
  CHECK(rows == expected);
  CHECK(std::string(version()) == QTRADER_VERSION_STRING);
}
