// Bars kept by reference (sqlite_bar_refs.hpp) read back from their bar
// cache files: the one place that resolves a `bar_sources` row to bars.
// A cache file that is gone, or no longer holds the rows of the recorded
// content hash, is a DataError naming the store, the symbol, the cache file
// and the hash; bars that differ from what the run saw (count, last time or
// check value) are one too. Never wrong bars.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "qtrader/data.hpp"
#include "store/bar_rows.hpp"

namespace SQLite {
class Database;
}

namespace qtrader::bar_refs {

struct Source {
  SymbolId symbol_id = 0;
  std::string symbol;
  BarSource file;
  std::uint64_t n = 0;
  Timestamp first_ts = 0, last_ts = 0;
  std::uint64_t check = 0;
};

// Whether the store keeps bars by reference (has a `bar_sources` table).
bool has_refs(SQLite::Database& db);

// Every `bar_sources` row, by symbol id.
std::vector<Source> sources(SQLite::Database& db);

// One referenced symbol's bars in time order, checked as they are read.
class Reader {
 public:
  // Opens the cache file (the recorded path, else the same name in the
  // current bar cache folder); throws DataError when it is gone or changed.
  Reader(const std::string& store, const Source& source);
  ~Reader();
  Reader(Reader&&) noexcept;
  // The next bar (seq left 0); false after the run's n bars. Throws DataError
  // when the file ends early or the bars differ from the run's.
  bool next(bar_rows::StoredBar& out);
  const Source& source() const noexcept { return source_; }

 private:
  std::string store_;
  Source source_;
  std::unique_ptr<BarStream> stream_;
  std::uint64_t read_ = 0, check_;
};

// All of one symbol's referenced bars, seq 0 (their seqs come from the
// merge with the events: StoredEventReader, `qtrader events`).
std::vector<bar_rows::StoredBar> read(SQLite::Database& db, const Source& source);

// Copies every bar kept by reference into the store's `bars` chunks, with
// its seq, and drops `bar_sources` and `bar_slices`: the file then holds its
// bars as the full form does (the `bar_rows` SQL view shows them) and no
// longer needs the bar cache. Returns the bars copied; throws DataError as
// Reader does, leaving the file unchanged.
std::uint64_t copy_into_store(const std::string& store);

}  // namespace qtrader::bar_refs
