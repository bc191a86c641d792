#include "qtrader/supervised_run.hpp"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <SQLiteCpp/SQLiteCpp.h>

#include "base/wall_clock.hpp"
#include "store/run_database.hpp"

namespace qtrader {

namespace fs = std::filesystem;

void record_stopped_run(const std::string& results_dir, const std::string& message) {
  if (results_dir.empty()) return;
  const fs::path dir(results_dir);
  try {
    const fs::path store = dir / "events.sqlite";
    if (fs::is_regular_file(store)) {
      // The killed child's open transaction is rolled back by this first connection.
      SQLite::Database db = store::open_run_database(store.string(), SQLite::OPEN_READWRITE);
      if (db.tableExists("runs")) {
        SQLite::Statement done(db, "UPDATE runs SET status = 'failed', message = ?, wall_end = ? WHERE status IN ('started', 'running')");
        done.bind(1, message);
        done.bind(2, wall_clock_iso(WallClockZone::Local));
        done.exec();
      }
    }
  } catch (const std::exception&) {
    // Left as the child wrote it: `qtrader runs` then shows the run as died.
  }
  const fs::path log = dir / "run.log";
  if (fs::is_regular_file(log)) {
    std::ofstream out(log, std::ios::app);
    // run.log's console form ("%Y-%m-%d %H:%M:%S.%e %l %v"), local time as spdlog writes it.
    std::string when = wall_clock_iso(WallClockZone::Local);
    if (when.size() > 10) when[10] = ' ';
    out << fmt::format("{}.000 error run failed: {}\n", when, message);
  }
}

}  // namespace qtrader
