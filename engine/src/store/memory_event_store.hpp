// The memory backend: every event kept in the process, compactly, for runs
// that need no file, such as benchmarks and sweeps. Bars, nearly all of a
// run's events, are kept by reference: one entry per timestamp slice, since
// their prices are in the source files. The rest are records with their JSON,
// the JSON in fixed blocks so that growing never copies what is stored (a
// doubling string would briefly hold its old and new buffers).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/event_store.hpp"

namespace qtrader {

class MemoryEventStore final : public EventStore {
 public:
  // An event other than a bar.
  struct Record {
    std::uint64_t seq;
    Timestamp ts;
    EventType type;
    StrategyIndex strategy;
    SymbolId symbol;
    std::uint32_t json_block, json_offset, json_size;  // see json()
  };
  // The `count` bars of timestamp `ts`, one per symbol of the slice in
  // ascending symbol id. Their seqs lie in [first_seq, last_seq]: every seq
  // of that range that no Record holds (fills interleave with the bars).
  struct BarSlice {
    Timestamp ts;
    std::uint64_t first_seq, last_seq;
    std::uint32_t count;
  };

  MemoryEventStore(EventBus& bus, const SymbolTable& symbols, const std::vector<std::string>& strategy_ids)
      : EventStore(bus, symbols, strategy_ids) {}

  const std::vector<Record>& records() const noexcept { return records_; }
  const std::vector<BarSlice>& bar_slices() const noexcept { return bar_slices_; }
  std::string_view json(const Record& r) const {
    return std::string_view(json_blocks_[r.json_block].get() + r.json_offset, r.json_size);
  }

 private:
  void append(std::uint64_t seq, EventType type, Timestamp ts, StrategyIndex strategy,
              SymbolId symbol, std::string_view json) override;
  void append_bar(std::uint64_t seq, const Bar& bar) override;

  static constexpr std::size_t kJsonBlock = 1 << 20;

  std::vector<Record> records_;
  std::vector<BarSlice> bar_slices_;
  std::vector<std::unique_ptr<char[]>> json_blocks_;
  std::size_t block_used_ = kJsonBlock;  // of the last block; full when there is none
};

}  // namespace qtrader
