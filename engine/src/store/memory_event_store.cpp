#include "store/memory_event_store.hpp"

#include <algorithm>

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
