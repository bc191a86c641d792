// Bars read back from an events.sqlite: the one place that decodes the
// `bars` table's chunks (layout in sqlite_bar_chunks.hpp), for the report
// and anything else that reads a run's prices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "qtrader/types.hpp"

namespace SQLite {
class Database;
class Statement;
}

namespace qtrader::bar_rows {

struct StoredBar {
  std::uint64_t seq;
  Timestamp ts;
  double open, high, low, close, volume, adj_close;  // adj_close NaN where the source had none
};

// Whether the file has a `bars` table or bars by reference (a store written
// before bars had their own table has neither).
bool has_bars(SQLite::Database& db);

// The symbols that have bars, copied or by reference, in the order of their first bar.
std::vector<std::string> symbols(SQLite::Database& db);

// Every bar of `symbol`, in seq (so time) order. Throws DataError naming the
// file and the chunk (its first_seq) when a chunk's arrays disagree with its n.
// A symbol kept by reference (bar_refs.hpp) is read from its bar cache file,
// with seq 0 (its seqs come from the merge with the events: stored_events.hpp),
// and throws DataError when that file is gone or changed.
std::vector<StoredBar> read(SQLite::Database& db, const std::string& symbol);

// Appends the bars of the current row of `q`, whose columns are first_seq, n,
// then the eight BLOBs (seq, ts, open, high, low, close, volume, adj_close);
// throws DataError as read() does.
void append_chunk(SQLite::Database& db, SQLite::Statement& q, std::vector<StoredBar>& out);

// The columns append_chunk() expects, for a SELECT over `bars`.
inline constexpr const char* kChunkColumns = "first_seq, n, seq, ts, open, high, low, close, volume, adj_close";

}  // namespace qtrader::bar_rows
