// The memory backend: every event kept in the process as a compact record
// (bars by reference), for runs that need no file, such as benchmarks and sweeps.
#pragma once

#include <string>
#include <vector>

#include "store/event_store.hpp"

namespace qtrader {

class MemoryEventStore final : public EventStore {
 public:
  struct Record {
    std::uint64_t seq;
    Timestamp ts;
    EventType type;
    StrategyIndex strategy;
    SymbolId symbol;
    std::uint32_t json_offset, json_size;  // into json(); empty for bars
  };

  MemoryEventStore(EventBus& bus, const SymbolTable& symbols, const std::vector<std::string>& strategy_ids)
      : EventStore(bus, symbols, strategy_ids) {}

  const std::vector<Record>& records() const noexcept { return records_; }
  std::string_view json(const Record& r) const { return std::string_view(json_).substr(r.json_offset, r.json_size); }

 private:
  void append(std::uint64_t seq, EventType type, Timestamp ts, StrategyIndex strategy,
              SymbolId symbol, std::string_view json) override;
  bool bar_payloads() const noexcept override { return false; }

  std::vector<Record> records_;
  std::string json_;
};

}  // namespace qtrader
