// The strategy service: owns each strategy's context and script, updates the
// indicators on every bar, and routes slices and fills to the strategies.
#pragma once

#include <memory>
#include <vector>

#include "strategy/indicator_cache.hpp"
#include "strategy/strategy_context_impl.hpp"
#include "strategy/strategy_runtime.hpp"

namespace qtrader {

class StrategyService {
 public:
  StrategyService(EventBus& bus, const PortfolioView& portfolio, const SymbolTable& symbols,
                  int warmup_bars);

  // Adds a strategy; returns its context, to which the caller binds a runtime.
  StrategyContextImpl& add(std::string id, std::vector<SymbolId> universe,
                           int max_signals_per_bar = 10000);
  void set_runtime(StrategyIndex index, std::unique_ptr<StrategyRuntime> runtime);

  void init_all();  // on_init of every strategy, in file order
  void stop_all();  // on_stop of every strategy, in file order
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<StrategyContextImpl> context;
    std::unique_ptr<StrategyRuntime> runtime;
  };
  void on_bar(const BarEvent&);
  void on_slice(const SliceEvent&);
  void on_fill(const FillEvent&);

  EventBus& bus_;
  const PortfolioView& portfolio_;
  const SymbolTable& symbols_;
  IndicatorCache indicators_;
  StrategyClock clock_;
  int warmup_bars_;
  std::uint64_t slices_seen_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::vector<StrategyIndex>> by_symbol_;  // which strategies see a symbol
};

}  // namespace qtrader
