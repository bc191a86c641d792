#include "store/sqlite_bar_chunks.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include "store/bar_blob.hpp"
#include "store/bar_rows_view.hpp"

namespace qtrader {

namespace {

constexpr int kColumns = 8;  // seq, ts, open, high, low, close, volume, adj_close

void check(sqlite3* db, int rc) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) throw SQLite::Exception(db, rc);
}

}  // namespace

SqliteBarChunks::SqliteBarChunks(sqlite3* db, const SymbolTable& symbols) : db_(db), symbols_(symbols) {
  check(db_, sqlite3_exec(db_,
                          "CREATE TABLE IF NOT EXISTS bars ("
                          " first_seq INTEGER PRIMARY KEY,"
                          " last_seq INTEGER NOT NULL,"
                          " symbol TEXT NOT NULL,"
                          " symbol_id INTEGER NOT NULL,"
                          " first_ts INTEGER NOT NULL,"
                          " last_ts INTEGER NOT NULL,"
                          " n INTEGER NOT NULL,"
                          " seq BLOB NOT NULL, ts BLOB NOT NULL,"
                          " open BLOB NOT NULL, high BLOB NOT NULL, low BLOB NOT NULL, close BLOB NOT NULL,"
                          " volume BLOB NOT NULL, adj_close BLOB NOT NULL);"
                          "CREATE INDEX IF NOT EXISTS bars_by_symbol ON bars(symbol, first_seq);",
                          nullptr, nullptr, nullptr));
  check(db_, sqlite3_exec(db_, bar_rows::view_sql().c_str(), nullptr, nullptr, nullptr));
  const char* sql =
      "INSERT INTO bars(first_seq, last_seq, symbol, symbol_id, first_ts, last_ts, n,"
      " seq, ts, open, high, low, close, volume, adj_close) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  check(db_, sqlite3_prepare_v2(db_, sql, -1, &insert_, nullptr));
}

SqliteBarChunks::~SqliteBarChunks() { sqlite3_finalize(insert_); }

std::uint32_t SqliteBarChunks::add(std::uint64_t seq, const Bar& bar) {
  if (bar.symbol >= chunks_.size()) chunks_.resize(bar.symbol + 1);
  auto& chunk = chunks_[bar.symbol];
  if (chunk.empty()) pending_.push_back(bar.symbol);
  chunk.push_back({static_cast<std::int64_t>(seq), bar.ts, bar.open, bar.high, bar.low, bar.close,
                   bar.volume, bar.adj_close});
  if (chunk.size() < kChunkBars) return 0;
  write(bar.symbol);
  std::erase(pending_, bar.symbol);
  return 1;
}

void SqliteBarChunks::write_pending() {
  for (SymbolId s : pending_) write(s);
  pending_.clear();
}

void SqliteBarChunks::write(SymbolId symbol) {
  auto& chunk = chunks_[symbol];
  const std::size_t n = chunk.size();
  const std::size_t column_bytes = n * bar_blob::kWord;
  blob_.resize(kColumns * column_bytes);
  // Rows to columns: column c of bar i at c * column_bytes + i * 8.
  unsigned char* out = blob_.data();
  for (std::size_t i = 0; i < n; ++i) {
    const Row& r = chunk[i];
    unsigned char* at = out + i * bar_blob::kWord;
    bar_blob::put(at, r.seq);
    bar_blob::put(at + column_bytes, r.ts);
    bar_blob::put(at + 2 * column_bytes, r.open);
    bar_blob::put(at + 3 * column_bytes, r.high);
    bar_blob::put(at + 4 * column_bytes, r.low);
    bar_blob::put(at + 5 * column_bytes, r.close);
    bar_blob::put(at + 6 * column_bytes, r.volume);
    bar_blob::put(at + 7 * column_bytes, r.adj_close);
  }
  const std::string& name = symbols_.name(symbol);
  sqlite3_stmt* stmt = insert_;
  sqlite3_bind_int64(stmt, 1, chunk.front().seq);
  sqlite3_bind_int64(stmt, 2, chunk.back().seq);
  sqlite3_bind_text(stmt, 3, name.data(), static_cast<int>(name.size()), SQLITE_STATIC);
  sqlite3_bind_int64(stmt, 4, symbol);
  sqlite3_bind_int64(stmt, 5, chunk.front().ts);
  sqlite3_bind_int64(stmt, 6, chunk.back().ts);
  sqlite3_bind_int64(stmt, 7, static_cast<sqlite3_int64>(n));
  for (int c = 0; c < kColumns; ++c)
    sqlite3_bind_blob(stmt, 8 + c, out + c * column_bytes, static_cast<int>(column_bytes), SQLITE_STATIC);
  const int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  check(db_, rc);
  chunk.clear();
}

}  // namespace qtrader
