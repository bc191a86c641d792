// The strategy service: owns each strategy's context and script, updates the
// indicators and the bar history on every bar, and routes slices, fills and
// order events to the strategies.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "strategy/bar_history.hpp"
#include "strategy/indicator_cache.hpp"
#include "strategy/strategy_context_impl.hpp"
#include "strategy/strategy_runtime.hpp"
#include "strategy/timeframe_streams.hpp"

namespace qtrader {

class StrategyService {
 public:
  StrategyService(EventBus& bus, const PortfolioView& portfolio, const SymbolTable& symbols,
                  int warmup_bars, StrategyExchanges exchanges = {});

  // Adds a strategy; returns its context, to which the caller binds a runtime.
  // The cap on signals per callback is the sandbox's (sandbox.max_signals_per_callback),
  // enforced where the script calls in.
  // `warmup_bars`: the strategy's own warm-up (its config's warmup_bars), the
  // first N timestamps at which it gets a bar; the run's warm-up applies too.
  // `timeframe`: the bars on_bar gets for each universe symbol (the source's
  // own by default; the backtest's `timeframe` key).
  StrategyContextImpl& add(std::string id, std::vector<SymbolId> universe, int warmup_bars = 0,
                           const Timeframe& timeframe = {});
  // How symbol `s`'s bars are timed, for consolidation: call before add().
  void set_source(SymbolId s, TimeZone zone, Timeframe bar_size, Timeframe known_size = {}) {
    streams_.set_source(s, std::move(zone), bar_size, known_size);
  }
  const TimeframeStreams& streams() const noexcept { return streams_; }
  // What ctx:subscribe refused in strategy i's on_init (a timeframe finer
  // than its source's bars); "" when nothing. The run reports it as a
  // ConfigError at the strategy's entry in the backtest.
  const std::string& refused_subscription(StrategyIndex i) const;
  void set_runtime(StrategyIndex index, std::unique_ptr<StrategyRuntime> runtime);

  // By symbol id: whether a strategy that takes ticks (StrategyRuntime::
  // wants_ticks) has the symbol in its universe. Call once the runtimes are
  // set; the ticks of these symbols then reach those strategies' on_tick.
  std::vector<bool> route_ticks();

  void init_all();  // on_init of every strategy, in file order
  void stop_all();  // on_stop of every strategy, in file order
  std::size_t size() const noexcept { return entries_.size(); }

  // The bars seen so far, read by the risk context too (whose deeper reads
  // ask it to grow). Advanced with each slice, before the strategies run.
  const BarHistory& history() const noexcept { return history_; }

  // Checkpoints (docs/checkpoints.md; strategy_snapshot.cpp). What the
  // strategies decided with: the warm-up and signal counters, the bar
  // history and each script's ctx.state, as JSON.
  std::string snapshot() const;
  // A resumed run, after init_all() and catch_up() over the bars up to the
  // checkpoint: the counters and history back, each script's ctx.state back
  // and its on_resume called.
  void restore(std::string_view json);
  // A resumed run, before on_init: every indicator the scripts asked for is
  // made again, each to take bars from where it first did
  // (IndicatorCache::prepare).
  void prepare_resume(std::string_view json);
  // A bar before the checkpoint, on resume: the indicators and consolidated
  // streams advance as they did, and no script sees it.
  void catch_up(const Bar& bar) { on_bar(BarEvent{bar, 0}); }

 private:
  struct Entry {
    std::unique_ptr<StrategyContextImpl> context;
    std::unique_ptr<StrategyRuntime> runtime;
    std::uint64_t last_slice = ~std::uint64_t{0};  // the slice whose bars it last got
    bool takes_slices = false;  // StrategyRuntime::takes_slices
    std::vector<Bar> slice;     // its bars of the current timestamp, reused
  };
  // A fill or order event that arrived while a script was running (e.g. a
  // warm-up refusal raised inside emit_signal, a cancellation inside
  // ctx:cancel): delivered after that callback returns, never re-entrantly.
  struct Pending {
    bool is_fill;
    FillEvent fill;
    OrderNotice notice;
    std::string reason;  // owns notice.reason
  };
  void on_bar(const BarEvent&);
  void on_slice(const SliceEvent&);
  void on_tick(const TickEvent&);
  void on_fill(const FillEvent&);
  void on_notice(StrategyIndex strategy, const OrderNotice& notice);
  void deliver(StrategyIndex strategy, const Pending& p);
  void drain();  // delivers what queued up during a callback
  void route();  // by_symbol_ from the strategies' subscriptions, at the first bar
  void deliver_bar(StrategyIndex i, const Bar& bar, const std::string& timeframe);
  void deliver_slice(StrategyIndex i, Timestamp ts);

  EventBus& bus_;
  const PortfolioView& portfolio_;
  const SymbolTable& symbols_;
  IndicatorCache indicators_;
  TimeframeStreams streams_;
  BarHistory history_;
  StrategyClock clock_;
  StrategyExchanges exchanges_;
  int warmup_bars_;
  std::uint64_t slices_seen_ = 0;
  std::vector<Entry> entries_;
  // Who sees a symbol's bars: per symbol, (strategy, stream) in strategy
  // order, then the strategy's subscription order (stream -1: source bars).
  struct Subscriber {
    StrategyIndex strategy;
    int stream;
    bool universe;  // one of the universe's subscriptions, not ctx:subscribe's
  };
  std::vector<std::vector<Subscriber>> by_symbol_;
  bool routed_ = false;
  // Who takes a symbol's ticks: per symbol, the strategies in file order.
  std::vector<std::vector<StrategyIndex>> tick_routes_;
  bool in_callback_ = false;
  std::vector<std::pair<StrategyIndex, Pending>> pending_;
};

}  // namespace qtrader
