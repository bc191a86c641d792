// A run's events read back from its events.sqlite in seq order: the rows of
// the `events` table merged with the bars decoded from the `bars` chunks
// (layout in sqlite_bar_chunks.hpp) and with the bars kept by reference
// (sqlite_bar_refs.hpp), read from their bar cache files. Chunks are opened
// as the merge reaches their first seq, so memory holds only the chunks that
// overlap the current seq (one per symbol at most), whatever the run's
// length; each referenced symbol holds one open cache file. Every cache file
// is opened (and checked against its content hash) before the first event.
#pragma once

#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "qtrader/types.hpp"
#include "store/bar_refs.hpp"
#include "store/bar_rows.hpp"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace qtrader {

struct StoredEvent {
  std::uint64_t seq = 0;
  Timestamp ts = 0;
  std::string type;         // "bar" or the `events` row's type
  std::string strategy_id;  // "" when the row has none
  std::string symbol;       // "" when the row has none
  std::string data;         // the row's JSON fields; "" for a bar
  bar_rows::StoredBar bar{};  // a bar's fields
  // A bar from the `bars` chunks (a store written before they existed keeps
  // its bars as `events` rows with JSON data, read like any other row).
  bool is_bar() const noexcept { return type == "bar" && data.empty(); }
};

class StoredEventReader {
 public:
  explicit StoredEventReader(SQLite::Database& db);
  ~StoredEventReader();
  StoredEventReader(const StoredEventReader&) = delete;
  StoredEventReader& operator=(const StoredEventReader&) = delete;

  // The next event in seq order; false after the last.
  bool next(StoredEvent& out);

 private:
  struct OpenChunk {
    std::string symbol;
    std::vector<bar_rows::StoredBar> bars;
    std::size_t at = 0;
  };
  struct LaterSeq {
    bool operator()(const OpenChunk* a, const OpenChunk* b) const { return a->bars[a->at].seq > b->bars[b->at].seq; }
  };
  void step_events();
  void step_chunks();
  void step_slices();
  void emit_referenced(std::uint64_t seq, StoredEvent& out);
  // A referenced symbol's reader and its next bar.
  struct RefHead {
    bar_refs::Reader reader;
    bar_rows::StoredBar bar{};
  };
  struct LaterBar {
    const std::vector<RefHead>* heads;
    bool operator()(std::size_t a, std::size_t b) const {
      const RefHead &x = (*heads)[a], &y = (*heads)[b];
      if (x.bar.ts != y.bar.ts) return x.bar.ts > y.bar.ts;
      return x.reader.source().symbol_id > y.reader.source().symbol_id;
    }
  };

  SQLite::Database& db_;
  std::unique_ptr<SQLite::Statement> events_, chunks_;
  bool event_ready_ = false, chunk_ready_ = false;
  bool compact_rows_ = false;  // `event_rows` (compact form) rather than the `events` table
  std::vector<std::unique_ptr<OpenChunk>> owned_;
  std::priority_queue<OpenChunk*, std::vector<OpenChunk*>, LaterSeq> open_;
  // Bars by reference: the slices in seq order, the current one's next free
  // seq and bars left, and the referenced symbols merged by (ts, symbol id).
  std::unique_ptr<SQLite::Statement> slices_;
  bool slice_ready_ = false;
  std::uint64_t ref_next_ = 0, ref_left_ = 0, slice_last_ = 0;
  Timestamp slice_ts_ = 0;
  std::vector<RefHead> ref_heads_;
  std::priority_queue<std::size_t, std::vector<std::size_t>, LaterBar> ref_order_{LaterBar{&ref_heads_}};
};

}  // namespace qtrader
