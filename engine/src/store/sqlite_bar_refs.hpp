// Bars kept by reference in events.sqlite (output.event_store.form: compact):
// a bar read unchanged from a binary bar cache file is not copied, since the
// cache file already holds it under the content hash of its data file. Two
// small tables say which bars the run saw:
//
//   bar_sources(symbol_id INTEGER PRIMARY KEY, symbol TEXT,
//               cache_file TEXT,   -- absolute path of the .bars file
//               data_file TEXT,    -- the data file it was made from
//               content_hash TEXT, config_hash TEXT,  -- 16 hex digits each: the
//               source_size INTEGER,                  -- cache file's key
//               n INTEGER, first_ts INTEGER, last_ts INTEGER,  -- the run's bars:
//               -- the n consecutive rows of the file from first_ts on
//               check_hash TEXT)   -- bar_check.hpp over those n bars
//   bar_slices(first_seq INTEGER PRIMARY KEY, last_seq INTEGER, ts INTEGER, n INTEGER)
//
// A slice is n referenced bars of timestamp ts, in ascending symbol id;
// their seqs are the seqs of [first_seq, last_seq] that neither an `events`
// row nor a `bars` chunk holds (fills and copied bars interleave). A
// timestamp may span several slices (one is cut at every commit). Read them
// back with bar_refs.hpp; bars of symbols with no cache file are copied to
// the `bars` chunks as in the full form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/data.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/types.hpp"
#include "store/bar_check.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace qtrader {

class SqliteBarRefs {
 public:
  // Creates the tables if missing; `db` outlives this object. `sources` by symbol id.
  SqliteBarRefs(sqlite3* db, const SymbolTable& symbols, std::vector<std::optional<BarSource>> sources);
  ~SqliteBarRefs();
  SqliteBarRefs(const SqliteBarRefs&) = delete;
  SqliteBarRefs& operator=(const SqliteBarRefs&) = delete;

  // Records the bar when its symbol has a source; false when it has none.
  bool add(std::uint64_t seq, const Bar& bar) {
    if (bar.symbol >= refs_.size() || !refs_[bar.symbol].source) return false;
    Ref& r = refs_[bar.symbol];
    if (r.n == 0) r.first_ts = bar.ts;
    r.last_ts = bar.ts;
    ++r.n;
    r.check = bar_check::add(r.check, bar.ts, bar.open, bar.high, bar.low, bar.close, bar.volume, bar.adj_close);
    if (!r.dirty) {
      r.dirty = true;
      dirty_.push_back(bar.symbol);
    }
    if (slice_.n == 0 || slice_.ts != bar.ts) {
      if (slice_.n != 0) write_slice();
      slice_ = {seq, seq, bar.ts, 0};
    }
    slice_.last_seq = seq;
    ++slice_.n;
    return true;
  }
  // Writes the open slice and the changed sources, before the caller commits.
  void write_pending();

  // Checkpoints (docs/checkpoints.md), after a commit: each referenced
  // symbol's count, span and check value from the run's start, JSON.
  std::string snapshot() const;
  // A resumed run, in the caller's transaction, after the rows past the
  // checkpoint went: takes them back and replaces every `bar_sources` row
  // (the killed run may have written later counts) at the next
  // write_pending(). runtime_error when a symbol's bars no longer come from
  // the cache file the checkpoint counted them in.
  void restore(std::string_view json);

 private:
  struct Ref {
    std::optional<BarSource> source;
    std::uint64_t n = 0;
    Timestamp first_ts = 0, last_ts = 0;
    std::uint64_t check = 0;
    bool dirty = false;
  };
  struct Slice {
    std::uint64_t first_seq = 0, last_seq = 0;
    Timestamp ts = 0;
    std::uint64_t n = 0;
  };
  void write_slice();

  sqlite3* db_;
  const SymbolTable& symbols_;
  sqlite3_stmt* insert_source_ = nullptr;
  sqlite3_stmt* insert_slice_ = nullptr;
  std::vector<Ref> refs_;          // by symbol id
  std::vector<SymbolId> dirty_;    // symbols whose row changed since the last write
  Slice slice_;
};

}  // namespace qtrader
