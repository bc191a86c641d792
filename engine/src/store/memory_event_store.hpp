// The memory backend: every event kept in the process, compactly, for runs
// that need no file, such as benchmarks and sweeps. Bars, nearly all of a
// run's events, are kept by reference: one entry per timestamp slice, since
// their prices are in the source files. Trading events (signals, orders,
// rejections, order updates, fills) are kept as they are, and formatted as
// JSON only when asked for; the few others as JSON, in fixed blocks so that
// growing never copies what is stored (a doubling string would briefly hold
// its old and new buffers).
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
    std::uint32_t json_block, json_offset, json_size;  // see json(); kKept: json_offset indexes kept events
  };
  static constexpr std::uint32_t kKept = 0xffffffffu;
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
  // The event's fields as the SQLite store writes them.
  std::string json(const Record& r) const;

 private:
  void append(std::uint64_t seq, EventType type, Timestamp ts, StrategyIndex strategy,
              SymbolId symbol, std::string_view json) override;
  void append_bar(std::uint64_t seq, const Bar& bar) override;
  bool keeps_events() const noexcept override { return true; }
  void keep(std::uint64_t seq, const SignalEvent& e) override { keep_in(signals_, seq, e); }
  void keep(std::uint64_t seq, const OrderEvent& e) override { keep_in(orders_, seq, e); }
  void keep(std::uint64_t seq, const OrderRejectedEvent& e) override { keep_in(rejections_, seq, e); }
  void keep(std::uint64_t seq, const OrderUpdateEvent& e) override { keep_in(updates_, seq, e); }
  void keep(std::uint64_t seq, const FillEvent& e) override { keep_in(fills_, seq, e); }

  template <class E>
  void keep_in(std::vector<E>& kept, std::uint64_t seq, const E& e) {
    records_.push_back({seq, e.ts, E::kType, e.strategy, e.symbol, kKept,
                        static_cast<std::uint32_t>(kept.size()), 0});
    kept.push_back(e);
  }

  static constexpr std::size_t kJsonBlock = 1 << 20;

  std::vector<Record> records_;
  std::vector<SignalEvent> signals_;
  std::vector<OrderEvent> orders_;
  std::vector<OrderRejectedEvent> rejections_;
  std::vector<OrderUpdateEvent> updates_;
  std::vector<FillEvent> fills_;
  std::vector<BarSlice> bar_slices_;
  std::vector<std::unique_ptr<char[]>> json_blocks_;
  std::size_t block_used_ = kJsonBlock;  // of the last block; full when there is none
};

}  // namespace qtrader
