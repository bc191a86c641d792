#include "store/bar_rows.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "qtrader/errors.hpp"
#include "store/bar_blob.hpp"
#include "store/bar_refs.hpp"

namespace qtrader::bar_rows {

namespace {

// Column `index` of the row as n words; throws when it is not a BLOB of
// n * 8 bytes. Compared by division: a file's n may be any int64, and n * 8
// of a huge n wraps to a small size (found by fuzz/bar_chunks_fuzzer).
const unsigned char* words(SQLite::Database& db, SQLite::Statement& q, int index, std::int64_t n) {
  const SQLite::Column col = q.getColumn(index);
  const auto bytes = static_cast<std::size_t>(col.getBytes());
  if (n < 0 || !col.isBlob() || bytes % bar_blob::kWord != 0 ||
      bytes / bar_blob::kWord != static_cast<std::uint64_t>(n))
    throw DataError(db.getFilename(), q.getColumn(0).getInt64(),
                    fmt::format("bars chunk (first_seq {}): column {} holds {} bytes, expected 8 per bar for n = {}",
                                q.getColumn(0).getInt64(), col.getName(), bytes, n));
  return static_cast<const unsigned char*>(col.getBlob());
}

}  // namespace

bool has_bars(SQLite::Database& db) { return db.tableExists("bars") || bar_refs::has_refs(db); }

std::vector<std::string> symbols(SQLite::Database& db) {
  std::vector<std::string> out;
  if (bar_refs::has_refs(db)) {
    // Bars of one timestamp are published in symbol id order, so (first time,
    // symbol id) is the order of the first bars, copied or referenced.
    SQLite::Statement q(db,
                        "SELECT symbol FROM (SELECT symbol, symbol_id AS id, MIN(first_ts) AS t FROM bars GROUP BY symbol"
                        " UNION ALL SELECT symbol, symbol_id, first_ts FROM bar_sources WHERE n > 0) ORDER BY t, id");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
  }
  // The (symbol, first_seq) index answers this without reading a chunk.
  SQLite::Statement q(db, "SELECT symbol, MIN(first_seq) AS first FROM bars GROUP BY symbol ORDER BY first");
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

std::vector<StoredBar> read(SQLite::Database& db, const std::string& symbol) {
  std::vector<StoredBar> out;
  if (db.tableExists("bars")) {
    SQLite::Statement q(db, fmt::format("SELECT {} FROM bars WHERE symbol = ? ORDER BY first_seq", kChunkColumns));
    q.bind(1, symbol);
    while (q.executeStep()) append_chunk(db, q, out);
  }
  if (out.empty() && bar_refs::has_refs(db))
    for (const auto& source : bar_refs::sources(db))
      if (source.symbol == symbol) return bar_refs::read(db, source);
  return out;
}

void append_chunk(SQLite::Database& db, SQLite::Statement& q, std::vector<StoredBar>& out) {
  const std::int64_t n = q.getColumn(1).getInt64();
  const unsigned char* col[8];
  for (int c = 0; c < 8; ++c) col[c] = words(db, q, 2 + c, n);
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    const std::size_t at = i * bar_blob::kWord;
    out.push_back({static_cast<std::uint64_t>(bar_blob::get_int(col[0] + at)), bar_blob::get_int(col[1] + at),
                   bar_blob::get_double(col[2] + at), bar_blob::get_double(col[3] + at),
                   bar_blob::get_double(col[4] + at), bar_blob::get_double(col[5] + at),
                   bar_blob::get_double(col[6] + at), bar_blob::get_double(col[7] + at)});
  }
}

}  // namespace qtrader::bar_rows
