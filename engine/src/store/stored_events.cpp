#include "store/stored_events.hpp"

#include <limits>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

namespace qtrader {

StoredEventReader::StoredEventReader(SQLite::Database& db) : db_(db) {
  events_ = std::make_unique<SQLite::Statement>(
      db_, "SELECT seq, ts, type, strategy_id, symbol, data FROM events ORDER BY seq");
  step_events();
  // A store written before bars had their own table keeps them as `events` rows.
  if (bar_rows::has_bars(db_)) {
    chunks_ = std::make_unique<SQLite::Statement>(
        db_, fmt::format("SELECT {}, symbol FROM bars ORDER BY first_seq", bar_rows::kChunkColumns));
    step_chunks();
  }
}

StoredEventReader::~StoredEventReader() = default;

void StoredEventReader::step_events() { event_ready_ = events_->executeStep(); }
void StoredEventReader::step_chunks() { chunk_ready_ = chunks_ && chunks_->executeStep(); }

bool StoredEventReader::next(StoredEvent& out) {
  constexpr auto kNone = std::numeric_limits<std::uint64_t>::max();
  const auto event_seq = [&] { return event_ready_ ? static_cast<std::uint64_t>(events_->getColumn(0).getInt64()) : kNone; };
  const auto bar_seq = [&] { return open_.empty() ? kNone : open_.top()->bars[open_.top()->at].seq; };
  // A chunk whose first bar comes before everything open joins the merge.
  while (chunk_ready_ && static_cast<std::uint64_t>(chunks_->getColumn(0).getInt64()) <= std::min(event_seq(), bar_seq())) {
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
  out.data = events_->getColumn(5).getString();
  out.bar = {};
  step_events();
  return true;
}

}  // namespace qtrader
