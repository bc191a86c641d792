#include "store/memory_event_store.hpp"

namespace qtrader {

void MemoryEventStore::append(std::uint64_t seq, EventType type, Timestamp ts, StrategyIndex strategy,
                              SymbolId symbol, std::string_view json) {
  const auto offset = static_cast<std::uint32_t>(json_.size());
  json_.append(json);
  records_.push_back({seq, ts, type, strategy, symbol, offset, static_cast<std::uint32_t>(json.size())});
}

}  // namespace qtrader
