#pragma once
// Opens a run's events.sqlite. Other processes read that file while it is
// written (qtrader watch, report, events, a test polling the checkpoints) and
// after a crash the first connection recovers the WAL under a lock: any other
// connection then waits for it instead of failing with "database is locked".
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

namespace qtrader::store {

inline constexpr int kRunDatabaseBusyTimeoutMs = 10000;

inline SQLite::Database open_run_database(const std::string& path, int flags) {
  return SQLite::Database(path, flags, kRunDatabaseBusyTimeoutMs);
}

}  // namespace qtrader::store
