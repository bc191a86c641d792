// The `bars` table of events.sqlite. Bars are nearly all of a run's events
// (2.5 M of 3 M in a 1000-symbol decade), so they are not JSON rows of the
// `events` table but chunks: one row per run of up to kChunkBars consecutive
// bars of one symbol, each bar field an array in a BLOB.
//
//   bars(first_seq INTEGER PRIMARY KEY,  -- seq of the chunk's first bar
//        last_seq  INTEGER,              -- seq of its last bar
//        symbol    TEXT, symbol_id INTEGER,
//        first_ts  INTEGER, last_ts INTEGER,  -- ns since the Unix epoch, UTC
//        n         INTEGER,              -- bars in the chunk
//        seq, ts, open, high, low, close, volume, adj_close BLOB)
//   index bars_by_symbol(symbol, first_seq)
//
// Each BLOB holds n little-endian 8-byte values (bar_blob.hpp): int64 for
// seq and ts, IEEE double for the prices (adj_close NaN where the source has
// none). Every bar keeps its seq, so the `events` table's seq has gaps that
// exactly the bars fill: together they number every event 1..N, and the
// global order is their union sorted by seq. Read them back with
// bar_rows.hpp, the one place in C++ that decodes this layout; the
// `bar_rows` view (bar_rows_view.hpp) decodes it in SQL for other readers.
//
// A chunk is cut when full and also whenever the store commits (a 16k-row
// batch, each progress update every 250 ms, the end of the run), so a killed
// run's file holds every bar up to its last commit.
#pragma once

#include <cstdint>
#include <vector>

#include "qtrader/symbol_table.hpp"
#include "qtrader/types.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace qtrader {

class SqliteBarChunks {
 public:
  static constexpr std::size_t kChunkBars = 1024;

  // Creates the table and its index if missing; `db` outlives this object.
  SqliteBarChunks(sqlite3* db, const SymbolTable& symbols);
  ~SqliteBarChunks();
  SqliteBarChunks(const SqliteBarChunks&) = delete;
  SqliteBarChunks& operator=(const SqliteBarChunks&) = delete;

  // Adds a bar to its symbol's chunk, inside the caller's open transaction;
  // returns the rows written (1 when the chunk was full, else 0).
  std::uint32_t add(std::uint64_t seq, const Bar& bar);
  // Writes every partial chunk, before the caller commits.
  void write_pending();

 private:
  struct Row {
    std::int64_t seq, ts;
    double open, high, low, close, volume, adj_close;
  };
  void write(SymbolId symbol);

  sqlite3* db_;
  const SymbolTable& symbols_;
  sqlite3_stmt* insert_ = nullptr;
  std::vector<std::vector<Row>> chunks_;  // by symbol id; capacity kept between chunks
  std::vector<SymbolId> pending_;         // symbols whose chunk is not empty
  std::vector<unsigned char> blob_;       // the columns of the chunk being written
};

}  // namespace qtrader
