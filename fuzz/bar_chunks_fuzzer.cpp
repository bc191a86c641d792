// The events.sqlite bar-chunk decoder (engine/src/store/bar_rows.hpp): the
// input becomes rows of a `bars` table made by the store's own schema
// (SqliteBarChunks), in an in-memory database, and bar_rows reads every
// symbol back as the report does. Each chunk: a symbol byte, an 8-byte n
// (any int64: negative and huge counts included), then per BLOB column a
// type byte (blob of n words, blob of a chosen length, NULL, integer, text)
// and the bytes it needs. A chunk that disagrees with itself must end in an
// exception the report catches (it catches std::exception), never a crash or
// a read past a BLOB.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "fuzz_support.hpp"
#include "qtrader/symbol_table.hpp"
#include "store/bar_rows.hpp"
#include "store/sqlite_bar_chunks.hpp"

namespace {

const char* const kSymbols[] = {"AAA", "BBB", "C.D", ""};

std::int64_t int64_from(qtrader::fuzz::Selector& in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(in.byte()) << (8 * i);
  return static_cast<std::int64_t>(v);
}

// Bytes for a BLOB of `size`: the input's next bytes, zero-padded.
std::string bytes_from(qtrader::fuzz::Selector& in, std::size_t size) {
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(in.byte());
  return out;
}

void bind_column(sqlite3_stmt* insert, int index, qtrader::fuzz::Selector& in, std::int64_t n) {
  const std::uint8_t type = in.byte();
  switch (type % 5) {
    case 0: {  // a well-sized blob when n is small
      const std::size_t words = n >= 0 && n <= 64 ? static_cast<std::size_t>(n) : 0;
      const std::string b = bytes_from(in, words * 8);
      sqlite3_bind_blob(insert, index, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
      break;
    }
    case 1: {  // a blob of any length up to 255 bytes
      const std::string b = bytes_from(in, in.byte());
      sqlite3_bind_blob(insert, index, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
      break;
    }
    case 2:
      sqlite3_bind_null(insert, index);
      break;
    case 3:
      sqlite3_bind_int64(insert, index, int64_from(in));
      break;
    default: {
      const std::string t = bytes_from(in, in.byte() % 32);
      sqlite3_bind_text(insert, index, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  qtrader::fuzz::Selector in(data, size);
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  qtrader::SymbolTable symbols;
  { qtrader::SqliteBarChunks schema(db.getHandle(), symbols); }
  // No NOT NULL or type rules: the reader must cope with any file, not only
  // with what the store writes. (The bar_rows view reads bars: it goes first,
  // as SQLite refuses to drop a table a view names. This harness fuzzes the
  // C++ chunk reader.)
  db.exec("DROP VIEW IF EXISTS bar_rows;"
          "CREATE TABLE loose AS SELECT * FROM bars WHERE 0; DROP TABLE bars;"
          "ALTER TABLE loose RENAME TO bars;"
          "CREATE INDEX bars_by_symbol ON bars(symbol, first_seq);");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db.getHandle(),
                     "INSERT OR REPLACE INTO bars(first_seq, last_seq, symbol, symbol_id, first_ts, last_ts, n,"
                     " seq, ts, open, high, low, close, volume, adj_close)"
                     " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     -1, &insert, nullptr);
  for (int chunk = 0; chunk < 16 && !in.rest().empty(); ++chunk) {
    const char* symbol = kSymbols[in.byte() % 4];
    const std::int64_t n = int64_from(in);
    sqlite3_bind_int64(insert, 1, chunk * 1000 + in.byte());
    sqlite3_bind_int64(insert, 2, chunk * 1000 + 999);
    sqlite3_bind_text(insert, 3, symbol, -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 4, 0);
    sqlite3_bind_int64(insert, 5, 0);
    sqlite3_bind_int64(insert, 6, 0);
    sqlite3_bind_int64(insert, 7, n);
    for (int c = 8; c <= 15; ++c) bind_column(insert, c, in, n);
    sqlite3_step(insert);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  try {
    if (!qtrader::bar_rows::has_bars(db)) __builtin_trap();
    for (const auto& symbol : qtrader::bar_rows::symbols(db)) {
      const auto bars = qtrader::bar_rows::read(db, symbol);
      if (bars.size() > 16 * 64) __builtin_trap();  // more bars than the chunks hold
    }
  } catch (const std::exception&) {
  }
  return 0;
}
