// The `none` event store: it numbers and counts events (summary.json's event
// counts) and keeps nothing else, so a run's memory does not grow with its
// length (docs/benchmarks.md "Memory against run length").
#pragma once

#include "store/event_store.hpp"

namespace qtrader {

class CountingEventStore final : public EventStore {
 public:
  CountingEventStore(EventBus& bus, const SymbolTable& symbols, const std::vector<std::string>& strategy_ids)
      : EventStore(bus, symbols, strategy_ids) {}

 private:
  bool keeps_nothing() const noexcept override { return true; }
  void append(std::uint64_t, EventType, Timestamp, StrategyIndex, SymbolId, std::string_view) override {}
  void append_bar(std::uint64_t, const Bar&) override {}
};

}  // namespace qtrader
