// The engine side of one strategy's `ctx`: reads go to the portfolio, the
// indicator cache and the bar history; emit_signal validates and publishes a
// SignalEvent (or, during warm-up, the refusal as an OrderRejectedEvent).
#pragma once

#include <string>
#include <vector>

#include "qtrader/event_bus.hpp"
#include "qtrader/portfolio_view.hpp"
#include "qtrader/script_api.hpp"
#include "qtrader/symbol_table.hpp"
#include "strategy/bar_history.hpp"
#include "strategy/indicator_cache.hpp"
#include "strategy/timeframe_streams.hpp"

namespace qtrader {

// State shared by every strategy of a run, owned by the StrategyService.
struct StrategyClock {
  Timestamp now = 0;
  bool warmup = false;
  // Signals are accepted inside on_bar, on_tick, on_fill and on_order, not in on_init
  // (no bar yet) or on_stop (no bar left to fill them).
  bool may_emit = false;
  bool stopped = false;  // on_stop has begun: no bar is left to fill an order
  std::uint64_t next_signal_id = 1;
};

// The trading days strategies ask about (ctx:session_date, ctx:next_session, ...).
struct StrategyExchanges {
  std::vector<ExchangeClock> by_symbol;  // empty: UTC days for every symbol
  ExchangeClock run;
};

// One (symbol, timeframe) whose bars reach the strategy's on_bar; stream -1
// is the symbol's source bars (TimeframeStreams::stream).
struct Subscription {
  SymbolId symbol;
  int stream;
};

class StrategyContextImpl final : public StrategyContext {
 public:
  StrategyContextImpl(StrategyIndex index, std::string id, std::vector<SymbolId> universe,
                      EventBus& bus, const PortfolioView& portfolio, const SymbolTable& symbols,
                      IndicatorCache& indicators, const BarHistory& history, StrategyClock& clock,
                      const StrategyExchanges& exchanges, TimeframeStreams& streams,
                      const Timeframe& timeframe = {});

  const std::string& strategy_id() const override { return id_; }
  Timestamp now() const override { return clock_.now; }
  bool is_warmup() const override { return clock_.warmup || own_warmup_; }
  // A strategy's own warm-up: true for its first `bars` timestamps with a bar.
  void set_own_warmup(int bars) { own_warmup_left_ = bars; }
  // Checkpoints: the own warm-up's bars left and whether this timestamp is one.
  std::pair<int, bool> own_warmup_state() const noexcept { return {own_warmup_left_, own_warmup_}; }
  void set_own_warmup_state(int left, bool now) noexcept {
    own_warmup_left_ = left;
    own_warmup_ = now;
  }
  void advance_own_warmup() {
    own_warmup_ = own_warmup_left_ > 0;
    if (own_warmup_left_ > 0) --own_warmup_left_;
  }
  std::span<const SymbolId> universe() const override { return universe_; }
  SymbolId symbol(std::string_view name) const override;
  const std::string& symbol_name(SymbolId s) const override { return symbols_.name(s); }
  double position(SymbolId s) const override;
  double cash() const override { return portfolio_.cash(); }
  double equity() const override { return portfolio_.equity(); }
  const Indicator* indicator(std::string_view kind, SymbolId symbol, std::string_view field,
                             std::span<const double> args) override;
  std::uint64_t emit_signal(const SignalRequest&) override;
  void log(LogLevel, std::string_view message) override;
  double value(SymbolId, std::string_view field, int ago) const override;
  void history(SymbolId, std::string_view field, int n, std::vector<double>& out) const override;
  void keep_history(int n) override;
  void record(std::string_view name, double value, SymbolId symbol) override;
  void cancel_order(OrderId id) override;
  void modify_order(OrderId id, const OrderChange& change) override;
  void rebalance(std::span<const PositionTarget> targets, std::string_view tag,
                 std::vector<std::uint64_t>& signal_ids) override;
  // Targets in shares are whole numbers unless portfolio.fractional_quantities.
  void set_whole_shares(bool whole) { whole_shares_ = whole; }
  const ExchangeClock* exchange(SymbolId s) const override;
  void subscribe(SymbolId, std::string_view timeframe) override;
  // ctx:signal reads `signals` (the run's signals service); nullptr: none declared.
  void set_signals(const SignalLookup* signals) { signals_ = signals; }
  std::optional<double> signal(std::string_view name, SymbolId s) const override {
    if (!signals_) return StrategyContext::signal(name, s);
    check_symbol(s);
    return signals_->latest(name, s, clock_.now);
  }
  // The first subscription refused as finer than its source's bars; "" when none.
  const std::string& refused() const noexcept { return refused_; }

  // In universe order (the backtest's `timeframe`), then ctx:subscribe's.
  const std::vector<Subscription>& subscriptions() const noexcept { return subs_; }

  bool subscribed(SymbolId s) const { return s < member_.size() && member_[s]; }

 private:
  void check_symbol(SymbolId s) const;

  StrategyIndex index_;
  std::string id_;
  std::vector<SymbolId> universe_;
  std::vector<bool> member_;
  EventBus& bus_;
  const PortfolioView& portfolio_;
  const SymbolTable& symbols_;
  IndicatorCache& indicators_;
  const BarHistory& history_;  // a deeper read asks it to grow (BarHistory::want)
  StrategyClock& clock_;
  bool whole_shares_ = true;
  int own_warmup_left_ = 0;
  bool own_warmup_ = false;
  const StrategyExchanges& exchanges_;
  TimeframeStreams& streams_;
  std::vector<Subscription> subs_;
  std::string refused_;  // see refused()
  const SignalLookup* signals_ = nullptr;
};

}  // namespace qtrader
