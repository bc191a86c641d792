// A run killed with SIGKILL mid-way leaves a readable events.sqlite whose
// `runs` row is not `completed`, and which holds every bar up to its last
// commit: the open bar slice and the bar_sources rows are written with each commit.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

#include "signalled_run.hpp"

namespace fs = std::filesystem;

TEST_CASE("a run killed with SIGKILL leaves a readable store, status not completed", "[cli][lifecycle]") {
  const fs::path out = fs::temp_directory_path() / ("qtrader-killed-" + std::to_string(getpid()));
  fs::remove_all(out);
  REQUIRE(qtrader::test::run_slow_and_signal(out, SIGKILL) == -SIGKILL);

  fs::path db_path;
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (e.path().filename() == "events.sqlite") db_path = e.path();
  REQUIRE(!db_path.empty());

  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  SQLite::Statement runs(db, "SELECT status, progress, bars FROM runs");
  REQUIRE(runs.executeStep());
  const std::string run_status = runs.getColumn(0).getString();
  CHECK(run_status != "completed");
  CHECK((run_status == "running" || run_status == "started"));
  const std::int64_t progress_bars = runs.getColumn(2).getInt64();
  // The compact store (the default): bars by reference, one slice row per
  // timestamp and a bar_sources row per symbol, committed together.
  SQLite::Statement bars(db, "SELECT COALESCE(SUM(n), 0) FROM bar_slices");
  REQUIRE(bars.executeStep());
  const std::int64_t stored_bars = bars.getColumn(0).getInt64();
  CHECK(stored_bars > 0);
  CHECK(stored_bars < 5036);
  CHECK(db.execAndGet("SELECT COALESCE(SUM(n), 0) FROM bar_sources").getInt64() == stored_bars);
  CHECK(db.execAndGet("SELECT COUNT(*) FROM bars").getInt64() == 0);
  // The last progress update was committed with every bar before it.
  CHECK(stored_bars >= progress_bars);
  // Whatever was committed is whole: the seqs of events and bars are 1..N.
  SQLite::Statement seqs(db,
      "SELECT (SELECT COUNT(*) FROM events) + (SELECT SUM(n) FROM bar_slices),"
      " MAX((SELECT MAX(seq) FROM events), (SELECT MAX(last_seq) FROM bar_slices))");
  REQUIRE(seqs.executeStep());
  CHECK(seqs.getColumn(0).getInt64() == seqs.getColumn(1).getInt64());
  fs::remove_all(out);
}
