// The `runs` table of events.sqlite.
#include <algorithm>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "qtrader/time.hpp"
#include "qtrader/version.hpp"
#include "store/sqlite_event_store.hpp"

namespace qtrader {

void SqliteEventStore::begin_run(const RunInfo& info) {
  flush();
  db_->exec(
      "CREATE TABLE IF NOT EXISTS runs ("
      " id TEXT PRIMARY KEY,"
      " backtest TEXT NOT NULL,"
      " config_hash TEXT NOT NULL,"
      " scripts TEXT NOT NULL,"          // JSON [{name, path, hash}]
      " libraries TEXT,"                 // JSON [{name, version, hash, path, source}]
      " params TEXT,"                    // JSON {scripts: {owner: {name, params}}, overrides}
      " settings TEXT,"                  // JSON: what replay needs besides the events
      " status TEXT NOT NULL,"           // started | running | completed | failed | interrupted
      " message TEXT,"                   // why it failed
      " progress REAL NOT NULL,"         // percent of the simulated period done
      " sim_time TEXT,"                  // the last timestamp processed
      " bars INTEGER NOT NULL,"
      " wall_start TEXT NOT NULL,"
      " wall_end TEXT,"
      " pid INTEGER,"                    // the process running it, while it runs
      " pid_start TEXT,"                 // that process's start time (a pid is reused)
      " qtrader_version TEXT,"           // the engine that ran it (qtrader/version.hpp)
      " qtrader_commit TEXT)");
  // A runs table made before a column was added gets it.
  std::vector<std::string> columns;
  {
    SQLite::Statement q(*db_, "SELECT name FROM pragma_table_info('runs')");
    while (q.executeStep()) columns.push_back(q.getColumn(0).getString());
  }
  for (const char* added : {"libraries TEXT", "pid INTEGER", "pid_start TEXT", "qtrader_version TEXT",
                              "qtrader_commit TEXT", "settings TEXT"}) {
    const std::string name = std::string(added).substr(0, std::string(added).find(' '));
    if (std::find(columns.begin(), columns.end(), name) == columns.end())
      db_->exec(std::string("ALTER TABLE runs ADD COLUMN ") + added);
  }
  SQLite::Statement insert(*db_,
                           "INSERT OR REPLACE INTO runs(id, backtest, config_hash, scripts, status,"
                           " progress, bars, wall_start, libraries, pid, pid_start, qtrader_version,"
                           " qtrader_commit)"
                           " VALUES (?, ?, ?, ?, 'started', 0, 0, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, info.id);
  insert.bind(2, info.backtest);
  insert.bind(3, info.config_hash);
  insert.bind(4, info.scripts_json);
  insert.bind(5, info.wall_start);
  insert.bind(6, info.libraries_json);
  insert.bind(7, static_cast<int64_t>(info.pid));
  insert.bind(8, info.pid_start);
  insert.bind(9, std::string(version()));
  insert.bind(10, std::string(git_commit()));
  insert.exec();
  run_id_ = info.id;
  progress_ = std::make_unique<SQLite::Statement>(
      *db_, "UPDATE runs SET status = 'running', progress = ?, sim_time = ?, bars = ? WHERE id = ?");
}

void SqliteEventStore::update_run(double progress_pct, Timestamp sim_time, std::uint64_t bars) {
  if (!progress_) return;
  begin_if_needed();
  progress_->bind(1, progress_pct);
  progress_->bind(2, format_timestamp(sim_time));
  progress_->bind(3, static_cast<int64_t>(bars));
  progress_->bind(4, run_id_);
  progress_->exec();
  progress_->reset();
  flush();
}

void SqliteEventStore::record_params(const std::string& params_json) {
  if (!progress_) return;
  flush();
  SQLite::Statement set(*db_, "UPDATE runs SET params = ? WHERE id = ?");
  set.bind(1, params_json);
  set.bind(2, run_id_);
  set.exec();
}

void SqliteEventStore::record_settings(const std::string& settings_json) {
  if (!progress_) return;
  flush();
  SQLite::Statement set(*db_, "UPDATE runs SET settings = ? WHERE id = ?");
  set.bind(1, settings_json);
  set.bind(2, run_id_);
  set.exec();
}

void SqliteEventStore::finish_run(RunEnd end, const std::string& message, const std::string& wall_end) {
  if (!progress_) return;
  flush();
  const bool completed = end == RunEnd::Completed;
  SQLite::Statement done(
      *db_, completed ? "UPDATE runs SET status = 'completed', progress = 100, message = NULL,"
                        " wall_end = ? WHERE id = ?"
                      : fmt::format("UPDATE runs SET status = '{}', message = ?, wall_end = ? WHERE id = ?",
                                    end == RunEnd::Failed ? "failed" : "interrupted"));
  int i = 1;
  if (!completed) done.bind(i++, message);
  done.bind(i++, wall_end);
  done.bind(i, run_id_);
  done.exec();
}

}  // namespace qtrader
