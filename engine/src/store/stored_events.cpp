#include "store/stored_events.hpp"

#include <algorithm>
#include <limits>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "qtrader/errors.hpp"
#include "qtrader/events.hpp"
#include "store/compact_keys.hpp"

namespace qtrader {

namespace {

bool shortened(const std::string& type) {
  for (int t = 0; t < static_cast<int>(EventType::Count_); ++t)
    if (type == to_string(static_cast<EventType>(t))) return compact_keys::shortened(static_cast<EventType>(t));
  return false;
}

}  // namespace

StoredEventReader::StoredEventReader(SQLite::Database& db) : db_(db) {
  // The compact form's rows are read as stored and their keys spelt out
  // here (compact_keys.hpp): the `events` view does the same in SQL, slower.
  compact_rows_ = db_.tableExists("event_rows");
  events_ = std::make_unique<SQLite::Statement>(
      db_, compact_rows_ ? "SELECT r.seq, r.ts, y.name, r.strategy_id, r.symbol, r.data FROM event_rows r"
                           " CROSS JOIN event_types y ON y.id = r.type_id ORDER BY r.seq"
                         : "SELECT seq, ts, type, strategy_id, symbol, data FROM events ORDER BY seq");
  step_events();
  // A store written before bars had their own table keeps them as `events` rows.
  if (db_.tableExists("bars")) {
    chunks_ = std::make_unique<SQLite::Statement>(
        db_, fmt::format("SELECT {}, symbol FROM bars ORDER BY first_seq", bar_rows::kChunkColumns));
    step_chunks();
  }
  if (bar_refs::has_refs(db_)) {
    const std::string store = db_.getFilename();
    for (const auto& source : bar_refs::sources(db_)) {
      if (source.n == 0) continue;
      ref_heads_.push_back({bar_refs::Reader(store, source), {}});
    }
    for (std::size_t i = 0; i < ref_heads_.size(); ++i)
      if (ref_heads_[i].reader.next(ref_heads_[i].bar)) ref_order_.push(i);
    slices_ = std::make_unique<SQLite::Statement>(db_, "SELECT first_seq, last_seq, ts, n FROM bar_slices ORDER BY first_seq");
    step_slices();
  }
}

void StoredEventReader::step_slices() {
  slice_ready_ = slices_ && slices_->executeStep();
  if (!slice_ready_) return;
  ref_next_ = static_cast<std::uint64_t>(slices_->getColumn(0).getInt64());
  slice_last_ = static_cast<std::uint64_t>(slices_->getColumn(1).getInt64());
  slice_ts_ = slices_->getColumn(2).getInt64();
  const std::int64_t n = slices_->getColumn(3).getInt64();
  if (n <= 0 || slice_last_ < ref_next_)
    throw DataError(db_.getFilename(), 0, fmt::format("bar_slices row (first_seq {}): n = {}, last_seq {}", ref_next_, n, slice_last_));
  ref_left_ = static_cast<std::uint64_t>(n);
}

// The next referenced bar in (ts, symbol id) order is the slice's bar at `seq`.
void StoredEventReader::emit_referenced(std::uint64_t seq, StoredEvent& out) {
  if (ref_order_.empty())
    throw DataError(db_.getFilename(), 0,
                    fmt::format("bar_slices row (ts {}): no referenced bar left for seq {}", slice_ts_, seq));
  const std::size_t i = ref_order_.top();
  ref_order_.pop();
  RefHead& head = ref_heads_[i];
  if (head.bar.ts != slice_ts_)
    throw DataError(db_.getFilename(), 0,
                    fmt::format("bar_slices row (ts {}): the next referenced bar ({}) is at {}", slice_ts_,
                                head.reader.source().symbol, head.bar.ts));
  out.seq = seq;
  out.ts = head.bar.ts;
  out.type = "bar";
  out.strategy_id.clear();
  out.symbol = head.reader.source().symbol;
  out.data.clear();
  out.bar = head.bar;
  out.bar.seq = seq;
  if (head.reader.next(head.bar)) ref_order_.push(i);
  ++ref_next_;
  if (--ref_left_ == 0) {
    if (seq != slice_last_)
      throw DataError(db_.getFilename(), 0,
                      fmt::format("bar_slices row (ts {}): its last bar has seq {}, recorded {}", slice_ts_, seq, slice_last_));
    step_slices();
  }
}

StoredEventReader::~StoredEventReader() = default;

void StoredEventReader::step_events() { event_ready_ = events_->executeStep(); }
void StoredEventReader::step_chunks() { chunk_ready_ = chunks_ && chunks_->executeStep(); }

bool StoredEventReader::next(StoredEvent& out) {
  constexpr auto kNone = std::numeric_limits<std::uint64_t>::max();
  const auto event_seq = [&] { return event_ready_ ? static_cast<std::uint64_t>(events_->getColumn(0).getInt64()) : kNone; };
  const auto bar_seq = [&] { return open_.empty() ? kNone : open_.top()->bars[open_.top()->at].seq; };
  const std::uint64_t ref = slice_ready_ ? ref_next_ : kNone;
  // A chunk whose first bar comes before everything open joins the merge.
  while (chunk_ready_ &&
         static_cast<std::uint64_t>(chunks_->getColumn(0).getInt64()) <= std::min({event_seq(), bar_seq(), ref})) {
    auto chunk = std::make_unique<OpenChunk>();
    bar_rows::append_chunk(db_, *chunks_, chunk->bars);
    chunk->symbol = chunks_->getColumn(10).getString();
    if (!chunk->bars.empty()) {
      open_.push(chunk.get());
      owned_.push_back(std::move(chunk));
    }
    step_chunks();
  }
  const std::uint64_t e = event_seq(), b = bar_seq();
  if (ref < e && ref < b) {
    emit_referenced(ref, out);
    return true;
  }
  // A seq held by an event row or a copied bar is not the slice's.
  if (ref != kNone && (ref == e || ref == b)) ++ref_next_;
  if (e == kNone && b == kNone) return false;
  if (b < e) {
    OpenChunk* c = open_.top();
    open_.pop();
    out.seq = c->bars[c->at].seq;
    out.ts = c->bars[c->at].ts;
    out.type = "bar";
    out.strategy_id.clear();
    out.symbol = c->symbol;
    out.data.clear();
    out.bar = c->bars[c->at];
    if (++c->at < c->bars.size()) {
      open_.push(c);
    } else {
      std::erase_if(owned_, [c](const auto& p) { return p.get() == c; });
    }
    return true;
  }
  out.seq = e;
  out.ts = events_->getColumn(1).getInt64();
  out.type = events_->getColumn(2).getString();
  out.strategy_id = events_->getColumn(3).getString();  // "" for NULL
  out.symbol = events_->getColumn(4).getString();
  if (compact_rows_ && shortened(out.type)) {
    const SQLite::Column data = events_->getColumn(5);
    out.data.clear();
    compact_keys::expand(std::string_view(data.getText(), static_cast<std::size_t>(data.getBytes())), out.data);
  } else {
    out.data = events_->getColumn(5).getString();
  }
  out.bar = {};
  step_events();
  return true;
}

}  // namespace qtrader
