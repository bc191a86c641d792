#include "store/checkpoint_table.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <vector>

#include "store/sqlite_event_store.hpp"
#include "store/run_database.hpp"

namespace qtrader {

namespace {
constexpr const char* kCreate =
    "CREATE TABLE IF NOT EXISTS checkpoints (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, state TEXT NOT "
    "NULL)";
}

// The events up to `seq` are committed first, then the checkpoint replaces
// the last in a transaction of its own: a kill at any point leaves either
// checkpoint whole, with every event it covers.
void SqliteEventStore::write_checkpoint(std::uint64_t seq, Timestamp ts, const std::string& state_json) {
  flush();
  db_->exec(kCreate);
  SQLite::Transaction tx(*db_);
  db_->exec("DELETE FROM checkpoints");
  SQLite::Statement insert(*db_, "INSERT INTO checkpoints(seq, ts, state) VALUES (?, ?, ?)");
  insert.bind(1, static_cast<int64_t>(seq));
  insert.bind(2, static_cast<int64_t>(ts));
  insert.bind(3, state_json);
  insert.exec();
  tx.commit();
}

// A resumed run's events start again after `seq`: what the killed process
// wrote after its checkpoint goes. Every commit cut the bar chunks and the
// compact form's bar slices, and the checkpoint committed at `seq`, so none
// straddles it.
void SqliteEventStore::truncate_after(std::uint64_t seq) {
  flush();
  db_->exec(kCreate);
  SQLite::Transaction tx(*db_);
  std::vector<const char*> deletes{compact_events_ ? "DELETE FROM event_rows WHERE seq > ?"
                                                   : "DELETE FROM events WHERE seq > ?",
                                   "DELETE FROM bars WHERE first_seq > ?", "DELETE FROM checkpoints WHERE seq > ?"};
  if (db_->tableExists("bar_slices")) deletes.push_back("DELETE FROM bar_slices WHERE first_seq > ?");
  for (const char* sql : deletes) {
    SQLite::Statement del(*db_, sql);
    del.bind(1, static_cast<int64_t>(seq));
    del.exec();
  }
  // The compact form's readable times of the timestamps that went.
  if (compact_events_) db_->exec("DELETE FROM event_times WHERE ts NOT IN (SELECT ts FROM event_rows)");
  tx.commit();
}

// The compact form's bar references count and hash the bars from the run's
// start (sqlite_bar_refs.hpp): a resumed run continues those figures.
std::string SqliteEventStore::backend_snapshot() const { return bar_refs_ ? bar_refs_->snapshot() : std::string(); }

void SqliteEventStore::restore_backend(std::string_view json) {
  if (!bar_refs_) return;
  begin_if_needed();
  bar_refs_->restore(json);
  flush();
}

std::optional<StoredCheckpoint> read_checkpoint(const std::string& events_sqlite) {
  SQLite::Database db = store::open_run_database(events_sqlite, SQLite::OPEN_READONLY);
  if (!db.tableExists("checkpoints")) return std::nullopt;
  SQLite::Statement q(db, "SELECT seq, ts, state FROM checkpoints ORDER BY seq DESC LIMIT 1");
  if (!q.executeStep()) return std::nullopt;
  return StoredCheckpoint{static_cast<std::uint64_t>(q.getColumn(0).getInt64()), q.getColumn(1).getInt64(),
                          q.getColumn(2).getString()};
}

}  // namespace qtrader
