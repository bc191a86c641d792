#include "store/sqlite_event_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <fmt/format.h>

#include "qtrader/time.hpp"
#include "store/compact_keys.hpp"
#include "store/run_database.hpp"

namespace qtrader {

namespace {
constexpr std::uint32_t kBatchSize = 16384;
}

SqliteEventStore::SqliteEventStore(const std::string& path, EventBus& bus, const SymbolTable& symbols,
                                   const std::vector<std::string>& strategy_ids, TimestampFormat times,
                                   EventStoreForm form)
    : EventStore(bus, symbols, strategy_ids), form_(form), symbols_(symbols), times_(std::move(times)) {
  // One thread at a time uses this connection (the run's loop), so SQLite's
  // per-connection mutex is only overhead: a lock and unlock around every
  // bind and step, 2-3 % of the default configuration's benchmark run.
  db_ = std::make_unique<SQLite::Database>(
      store::open_run_database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX));
  // WAL keeps the file readable if the process is killed mid-batch: every
  // commit is in the operating system's hands at once. No fsync, though
  // (synchronous=OFF): a power cut may lose the file, which a rerun remakes,
  // and the fsync of each WAL checkpoint cost 0.5 s of a 2 s store in the
  // 1000 x 2520 benchmark.
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec("PRAGMA synchronous=OFF");
  // A file that already has an `events` table (a live session resumed) keeps its form.
  const bool has_events_table =
      db_->execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'").getInt() > 0;
  compact_events_ = form_ == EventStoreForm::Compact && !has_events_table;
  const char* sql = nullptr;
  if (compact_events_) {
    create_compact_events();
    sql = "INSERT INTO event_rows(seq, ts, type_id, strategy_id, symbol, data) VALUES (?,?,?,?,?,?)";
  } else {
    db_->exec(
        "CREATE TABLE IF NOT EXISTS events ("
        " seq INTEGER PRIMARY KEY,"    // its gaps are the bars' seqs (bars table)
        " ts INTEGER NOT NULL,"        // nanoseconds since the Unix epoch, UTC
        " time TEXT NOT NULL,"         // the same, readable
        " type TEXT NOT NULL,"
        " strategy_id TEXT,"
        " symbol TEXT,"
        " data TEXT NOT NULL)");      // the event's fields as JSON
    sql = "INSERT INTO events(seq, ts, time, type, strategy_id, symbol, data) VALUES (?,?,?,?,?,?,?)";
  }
  // The hot insert uses SQLite's C API: SQLiteCpp binds text by copying.
  if (sqlite3_prepare_v2(db_->getHandle(), sql, -1, &insert_, nullptr) != SQLITE_OK)
    throw SQLite::Exception(db_->getHandle(), sqlite3_errcode(db_->getHandle()));
  bars_ = std::make_unique<SqliteBarChunks>(db_->getHandle(), symbols);
}

// The compact form's `events` (docs/architecture.md "Event store"): rows
// without the readable time and with the type as a number, the trading
// events' keys as letters (compact_keys.hpp), and a view that shows them
// exactly as the full form's table: every query of `events` reads the same.
void SqliteEventStore::create_compact_events() {
  db_->exec(
      "CREATE TABLE IF NOT EXISTS event_rows ("
      " seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, type_id INTEGER NOT NULL,"
      " strategy_id TEXT, symbol TEXT, data TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS event_types (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS event_times (ts INTEGER PRIMARY KEY, time TEXT NOT NULL);");
  std::string shortened_ids;
  for (int t = 0; t < static_cast<int>(EventType::Count_); ++t) {
    SQLite::Statement q(*db_, "INSERT OR IGNORE INTO event_types(id, name) VALUES (?, ?)");
    q.bind(1, t);
    q.bind(2, to_string(static_cast<EventType>(t)));
    q.exec();
    if (compact_keys::shortened(static_cast<EventType>(t)))
      shortened_ids += (shortened_ids.empty() ? "" : ",") + std::to_string(t);
  }
  db_->exec(fmt::format(
      "CREATE VIEW IF NOT EXISTS events AS SELECT r.seq AS seq, r.ts AS ts,"
      " (SELECT t.time FROM event_times t WHERE t.ts = r.ts) AS time,"
      " (SELECT y.name FROM event_types y WHERE y.id = r.type_id) AS type,"
      " r.strategy_id AS strategy_id, r.symbol AS symbol,"
      " CASE WHEN r.type_id IN ({}) THEN {} ELSE r.data END AS data FROM event_rows r",
      shortened_ids, compact_keys::expand_sql("r.data")));
  if (sqlite3_prepare_v2(db_->getHandle(), "INSERT OR IGNORE INTO event_times(ts, time) VALUES (?,?)", -1,
                         &insert_time_, nullptr) != SQLITE_OK)
    throw SQLite::Exception(db_->getHandle(), sqlite3_errcode(db_->getHandle()));
}

SqliteEventStore::~SqliteEventStore() {
  try {
    flush();
  } catch (...) {
    // A destructor must not throw; only a failing SQLite loses the open batch.
  }
  bars_.reset();  // their statements are finalized before the database closes
  bar_refs_.reset();
  sqlite3_finalize(insert_);
  sqlite3_finalize(insert_time_);
}

void SqliteEventStore::begin_if_needed() {
  if (!in_transaction_) {
    db_->exec("BEGIN");
    in_transaction_ = true;
  }
}

// A batch is committed with the bars' partial chunks: whatever a reader sees
// holds every bar up to the last event it holds.
void SqliteEventStore::flush() {
  if (in_transaction_) {
    bars_->write_pending();
    if (bar_refs_) bar_refs_->write_pending();
    db_->exec("COMMIT");
    in_transaction_ = false;
    batch_ = 0;
  }
}

void SqliteEventStore::append(std::uint64_t seq, EventType type, Timestamp ts, StrategyIndex strategy,
                              SymbolId symbol, std::string_view json) {
  begin_if_needed();
  if (ts != time_ts_) {
    time_ts_ = ts;
    time_text_ = times_(ts);
    if (compact_events_) {
      sqlite3_bind_int64(insert_time_, 1, static_cast<sqlite3_int64>(ts));
      sqlite3_bind_text(insert_time_, 2, time_text_.data(), static_cast<int>(time_text_.size()), SQLITE_STATIC);
      const int rc = sqlite3_step(insert_time_);
      sqlite3_reset(insert_time_);
      if (rc != SQLITE_DONE) throw SQLite::Exception(db_->getHandle(), rc);
    }
  }
  // Text bound without copies (SQLITE_STATIC): every buffer outlives exec().
  sqlite3_stmt* stmt = insert_;
  int col = 1;
  sqlite3_bind_int64(stmt, col++, static_cast<sqlite3_int64>(seq));
  sqlite3_bind_int64(stmt, col++, static_cast<sqlite3_int64>(ts));
  if (compact_events_) {
    sqlite3_bind_int(stmt, col++, static_cast<int>(type));
  } else {
    sqlite3_bind_text(stmt, col++, time_text_.data(), static_cast<int>(time_text_.size()), SQLITE_STATIC);
    sqlite3_bind_text(stmt, col++, to_string(type), -1, SQLITE_STATIC);
  }
  if (strategy == kNoStrategy) {
    sqlite3_bind_null(stmt, col++);
  } else {
    const std::string& name = strategy_name(strategy);
    sqlite3_bind_text(stmt, col++, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
  }
  if (symbol == kNoSymbol) {
    sqlite3_bind_null(stmt, col++);
  } else {
    const std::string& name = symbol_name(symbol);
    sqlite3_bind_text(stmt, col++, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
  }
  if (compact_events_ && compact_keys::shortened(type)) {
    short_json_.clear();
    compact_keys::shorten(json, short_json_);
    json = short_json_;
  }
  sqlite3_bind_text(stmt, col, json.data(), static_cast<int>(json.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) throw SQLite::Exception(db_->getHandle(), rc);
  count_rows(1);
}

void SqliteEventStore::reference_bars(const std::vector<std::optional<BarSource>>& sources) {
  if (form_ != EventStoreForm::Compact) return;
  bar_refs_ = std::make_unique<SqliteBarRefs>(db_->getHandle(), symbols_, sources);
}

void SqliteEventStore::append_bar(std::uint64_t seq, const Bar& bar) {
  begin_if_needed();
  if (bar_refs_ && bar_refs_->add(seq, bar)) return;
  count_rows(bars_->add(seq, bar));
}

void SqliteEventStore::count_rows(std::uint32_t rows) {
  batch_ += rows;
  if (batch_ >= kBatchSize) flush();
}

}  // namespace qtrader
