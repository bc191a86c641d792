#include "strategy/strategy_service.hpp"

namespace qtrader {

StrategyService::StrategyService(EventBus& bus, const PortfolioView& portfolio,
                                 const SymbolTable& symbols, int warmup_bars)
    : bus_(bus), portfolio_(portfolio), symbols_(symbols), indicators_(symbols.size()),
      warmup_bars_(warmup_bars), by_symbol_(symbols.size()) {
  bus_.subscribe<BarEvent>([this](const BarEvent& e) { on_bar(e); });
  bus_.subscribe<SliceEvent>([this](const SliceEvent& e) { on_slice(e); });
  bus_.subscribe<FillEvent>([this](const FillEvent& e) { on_fill(e); });
}

StrategyContextImpl& StrategyService::add(std::string id, std::vector<SymbolId> universe,
                                          int max_signals_per_bar) {
  const auto index = static_cast<StrategyIndex>(entries_.size());
  for (SymbolId s : universe) by_symbol_.at(s).push_back(index);
  auto ctx = std::make_unique<StrategyContextImpl>(index, std::move(id), std::move(universe), bus_,
                                                   portfolio_, symbols_, indicators_, clock_,
                                                   max_signals_per_bar);
  entries_.push_back({std::move(ctx), nullptr});
  return *entries_.back().context;
}

void StrategyService::set_runtime(StrategyIndex index, std::unique_ptr<StrategyRuntime> runtime) {
  entries_.at(index).runtime = std::move(runtime);
}

void StrategyService::init_all() {
  for (auto& e : entries_) e.runtime->on_init();
}

void StrategyService::stop_all() {
  clock_.in_bar = false;
  for (auto& e : entries_) e.runtime->on_stop();
}

// Indicators advance with the bar itself, so they are current when the slice
// reaches the strategies.
void StrategyService::on_bar(const BarEvent& e) { indicators_.update(e.bar); }

void StrategyService::on_slice(const SliceEvent& e) {
  clock_.now = e.ts;
  clock_.warmup = slices_seen_ < static_cast<std::uint64_t>(warmup_bars_);
  ++slices_seen_;
  clock_.in_bar = true;
  for (const Bar& bar : e.bars) {
    for (StrategyIndex i : by_symbol_[bar.symbol]) {
      auto& entry = entries_[i];
      entry.context->begin_bar();
      entry.runtime->on_bar(bar);
    }
  }
  clock_.in_bar = false;
}

void StrategyService::on_fill(const FillEvent& e) {
  if (e.strategy < entries_.size()) entries_[e.strategy].runtime->on_fill(e);
}

}  // namespace qtrader
