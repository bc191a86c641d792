#include "engine/tick_feed.hpp"

#include <algorithm>
#include <functional>

namespace qtrader {

TickFeed::TickFeed(const PreparedRun& run, const std::vector<bool>& wanted) {
  const Universe& u = run.universe;
  by_symbol_.resize(u.symbols.size());
  for (SymbolId s = 0; s < u.symbols.size(); ++s) {
    const DataSourceConfig& src = *u.source_of[s];
    if (s >= wanted.size() || !wanted[s] || src.kind != "ticks") continue;
    by_symbol_[s] = std::make_unique<BarTicks>(src, src.file_for(u.symbols.name(s)), s);
    ++open_;
  }
  heap_.reserve(open_);
}

void TickFeed::publish(EventBus& bus, const std::vector<Bar>& slice) {
  // A min-heap on (time, symbol): the earliest tick first, ties in symbol order.
  constexpr auto later = std::greater<std::pair<Timestamp, SymbolId>>{};
  heap_.clear();
  for (const Bar& bar : slice) {
    BarTicks* ticks = bar.symbol < by_symbol_.size() ? by_symbol_[bar.symbol].get() : nullptr;
    if (ticks && ticks->start(bar)) heap_.emplace_back(ticks->tick().ts, bar.symbol);
  }
  std::make_heap(heap_.begin(), heap_.end(), later);
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), later);
    const SymbolId s = heap_.back().second;
    BarTicks& ticks = *by_symbol_[s];
    bus.publish(TickEvent{ticks.tick(), slice.front().ts});
    if (ticks.next()) {
      heap_.back().first = ticks.tick().ts;
      std::push_heap(heap_.begin(), heap_.end(), later);
    } else {
      heap_.pop_back();
    }
  }
}

}  // namespace qtrader
