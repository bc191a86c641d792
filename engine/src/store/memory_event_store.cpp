#include "store/memory_event_store.hpp"

#include <algorithm>

#include "store/event_json.hpp"

namespace qtrader {

void MemoryEventStore::append(std::uint64_t seq, EventType type, Timestamp ts, StrategyIndex strategy,
                              SymbolId symbol, std::string_view json) {
  if (block_used_ + json.size() > kJsonBlock) {
    // A new block; a JSON longer than a block gets a block of its own size.
    json_blocks_.push_back(std::make_unique_for_overwrite<char[]>(std::max(kJsonBlock, json.size())));
    block_used_ = 0;
  }
  std::copy(json.begin(), json.end(), json_blocks_.back().get() + block_used_);
  records_.push_back({seq, ts, type, strategy, symbol, static_cast<std::uint32_t>(json_blocks_.size() - 1),
                      static_cast<std::uint32_t>(block_used_), static_cast<std::uint32_t>(json.size())});
  block_used_ += json.size();
}

std::string MemoryEventStore::json(const Record& r) const {
  if (r.json_block != kKept) return std::string(json_blocks_[r.json_block].get() + r.json_offset, r.json_size);
  fmt::memory_buffer b;
  switch (r.type) {
    case EventType::Signal: event_json::write(b, signals_[r.json_offset]); break;
    case EventType::Order: event_json::write(b, orders_[r.json_offset]); break;
    case EventType::OrderRejected: event_json::write(b, rejections_[r.json_offset]); break;
    case EventType::OrderUpdate: event_json::write(b, updates_[r.json_offset]); break;
    case EventType::Fill: event_json::write(b, fills_[r.json_offset]); break;
    default: break;  // only the types above are kept
  }
  return fmt::to_string(b);
}

void MemoryEventStore::append_bar(std::uint64_t seq, const Bar& bar) {
  if (bar_slices_.empty() || bar_slices_.back().ts != bar.ts) {
    bar_slices_.push_back({bar.ts, seq, seq, 1});
    return;
  }
  BarSlice& slice = bar_slices_.back();
  slice.last_seq = seq;
  ++slice.count;
}

}  // namespace qtrader
