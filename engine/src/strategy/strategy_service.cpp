#include "strategy/strategy_service.hpp"

#include <algorithm>

#include "base/flag_scope.hpp"

namespace qtrader {

namespace {

// What every on_order event carries, from a rejection or an update.
template <class E>
OrderNotice notice_of(const E& e, const char* status) {
  OrderNotice n;
  n.ts = e.ts;
  n.order_id = e.order_id;
  n.signal_id = e.signal_id;
  n.symbol = e.symbol;
  n.status = status;
  return n;
}

}  // namespace

StrategyService::StrategyService(EventBus& bus, const PortfolioView& portfolio,
                                 const SymbolTable& symbols, int warmup_bars, StrategyExchanges exchanges)
    : bus_(bus), portfolio_(portfolio), symbols_(symbols), indicators_(symbols.size()),
      streams_(symbols.size()), history_(symbols.size()), exchanges_(std::move(exchanges)),
      warmup_bars_(warmup_bars), by_symbol_(symbols.size()) {
  bus_.subscribe<BarEvent>([this](const BarEvent& e) { on_bar(e); });
  bus_.subscribe<SliceEvent>([this](const SliceEvent& e) { on_slice(e); });
  bus_.subscribe<TickEvent>([this](const TickEvent& e) { on_tick(e); });
  bus_.subscribe<FillEvent>([this](const FillEvent& e) { on_fill(e); });
  // Execution publishes an order's acceptance before anything else about it,
  // so updates, rejections and fills reach the strategy in the order they
  // happened to its order.
  bus_.subscribe<OrderRejectedEvent>([this](const OrderRejectedEvent& e) {
    OrderNotice n = notice_of(e, "rejected");
    n.reason = e.reason;
    on_notice(e.strategy, n);
  });
  bus_.subscribe<OrderUpdateEvent>([this](const OrderUpdateEvent& e) {
    OrderNotice n = notice_of(e, to_string(e.status));
    if (e.status == OrderStatus::Accepted) {
      n.has_side = true;
      n.side = e.side;
      n.quantity = e.quantity;
      n.reason = e.reason;  // "replaced": ctx:modify_order took effect
    } else {
      if (e.reason == "replaced") n.quantity = e.quantity;
      n.filled_quantity = e.filled_quantity;
      n.remaining_quantity = e.remaining_quantity;
      n.reason = e.reason;
    }
    on_notice(e.strategy, n);
  });
}

StrategyContextImpl& StrategyService::add(std::string id, std::vector<SymbolId> universe,
                                          int warmup_bars, const Timeframe& timeframe) {
  const auto index = static_cast<StrategyIndex>(entries_.size());
  auto ctx = std::make_unique<StrategyContextImpl>(index, std::move(id), std::move(universe), bus_,
                                                   portfolio_, symbols_, indicators_, history_,
                                                   clock_, exchanges_, streams_, timeframe);
  ctx->set_own_warmup(warmup_bars);
  entries_.push_back({std::move(ctx), nullptr});
  return *entries_.back().context;
}

void StrategyService::set_runtime(StrategyIndex index, std::unique_ptr<StrategyRuntime> runtime) {
  auto& entry = entries_.at(index);
  entry.runtime = std::move(runtime);
  entry.takes_slices = entry.runtime && entry.runtime->takes_slices();
}

const std::string& StrategyService::refused_subscription(StrategyIndex i) const {
  return entries_.at(i).context->refused();
}

std::vector<bool> StrategyService::route_ticks() {
  tick_routes_.assign(symbols_.size(), {});
  std::vector<bool> wanted(symbols_.size(), false);
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (!entries_[i].runtime || !entries_[i].runtime->wants_ticks()) continue;
    for (SymbolId s : entries_[i].context->universe()) {
      tick_routes_.at(s).push_back(static_cast<StrategyIndex>(i));
      wanted[s] = true;
    }
  }
  return wanted;
}

void StrategyService::init_all() {
  for (auto& e : entries_) {
    {
      FlagScope in_callback(in_callback_);
      e.runtime->on_init();
    }
    drain();
  }
}

void StrategyService::stop_all() {
  clock_.stopped = true;
  for (auto& e : entries_) {
    {
      FlagScope in_callback(in_callback_);
      e.runtime->on_stop();
    }
    drain();
  }
}

// Indicators advance with the bar itself, so they are current when the slice
// reaches the strategies.
// The clock follows the bars too, so that what on_fill and on_order do during
// the bar phase (ctx:now, records) carries the bar's time.
void StrategyService::on_bar(const BarEvent& e) {
  clock_.now = e.bar.ts;
  indicators_.update(e.bar);
  // Consolidated bars this bar completes advance their indicators now too.
  for (int stream : streams_.add(e.bar))
    for (const Bar& done : streams_.completed(stream)) indicators_.update_stream(stream, done);
}

// Subscriptions are fixed once on_init has run (ctx:subscribe refuses later).
void StrategyService::route() {
  routed_ = true;
  for (auto& list : by_symbol_) list.clear();
  // Consolidated bars first, then the source bar: as with the history, what
  // the source bar of T completes is visible to the on_bar of that bar.
  // subscriptions() lists the universe's first.
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const auto& subs = entries_[i].context->subscriptions();
    const std::size_t universe = entries_[i].context->universe().size();
    for (bool source : {false, true})
      for (std::size_t k = 0; k < subs.size(); ++k)
        if ((subs[k].stream < 0) == source)
          by_symbol_.at(subs[k].symbol).push_back({static_cast<StrategyIndex>(i), subs[k].stream, k < universe});
  }
}

void StrategyService::deliver_bar(StrategyIndex i, const Bar& bar, const std::string& timeframe) {
  {
    FlagScope in_callback(in_callback_), may_emit(clock_.may_emit);
    entries_[i].runtime->on_bar_of(bar, timeframe);
  }
  drain();
}

void StrategyService::deliver_slice(StrategyIndex i, Timestamp ts) {
  {
    FlagScope in_callback(in_callback_), may_emit(clock_.may_emit);
    entries_[i].runtime->on_slice(ts, entries_[i].slice);
  }
  drain();
}

void StrategyService::on_slice(const SliceEvent& e) {
  clock_.now = e.ts;
  clock_.warmup = slices_seen_ < static_cast<std::uint64_t>(warmup_bars_);
  ++slices_seen_;
  // The whole slice enters the history first: a strategy that reads another
  // symbol of its universe sees that symbol's bar of T too, never a later one.
  for (const Bar& bar : e.bars) history_.push(bar);
  if (!routed_) route();
  // Per symbol, per strategy: its subscriptions in order, each the source
  // bar or the consolidated bars that bar completed (oldest first).
  for (const Bar& bar : e.bars) {
    for (const Subscriber& sub : by_symbol_[bar.symbol]) {
      auto& entry = entries_[sub.strategy];
      if (entry.last_slice != slices_seen_) {  // once per timestamp, not per bar
        entry.last_slice = slices_seen_;
        entry.context->advance_own_warmup();
      }
      if (entry.takes_slices && sub.universe) {  // gathered for its on_slice below
        if (sub.stream < 0) {
          entry.slice.push_back(bar);
        } else {
          const std::span<const Bar> done = streams_.completed(sub.stream);
          entry.slice.insert(entry.slice.end(), done.begin(), done.end());
        }
        continue;
      }
      if (sub.stream < 0) {
        deliver_bar(sub.strategy, bar, streams_.source_name(bar.symbol));
      } else {
        for (const Bar& done : streams_.completed(sub.stream))
          deliver_bar(sub.strategy, done, streams_.name(sub.stream));
      }
    }
  }
  // Strategies with on_slice, in strategy order, once every on_bar of T has run.
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (!entries_[i].takes_slices || entries_[i].slice.empty()) continue;
    deliver_slice(static_cast<StrategyIndex>(i), e.ts);
    entries_[i].slice.clear();
  }
}

// The ticks of T's bars come before T's bars (docs/architecture.md "One
// timestamp T"): on_tick belongs to timestamp T, so ctx:now() is T, the
// warm-up is T's, and a signal joins T's risk batch (its order is first
// eligible on the next bar, as one from on_bar).
void StrategyService::on_tick(const TickEvent& e) {
  if (e.tick.symbol >= tick_routes_.size()) return;
  const auto& takers = tick_routes_[e.tick.symbol];
  if (takers.empty()) return;
  clock_.now = e.bar_ts;
  const bool bar_phase_warmup = clock_.warmup;
  clock_.warmup = slices_seen_ < static_cast<std::uint64_t>(warmup_bars_);  // as on_slice will count T
  for (StrategyIndex i : takers) {
    auto& entry = entries_[i];
    if (entry.last_slice != slices_seen_ + 1) {  // T's own warm-up step, once
      entry.last_slice = slices_seen_ + 1;
      entry.context->advance_own_warmup();
    }
    {
      FlagScope in_callback(in_callback_), may_emit(clock_.may_emit);
      entry.runtime->on_tick(e.tick);
    }
    drain();
  }
  clock_.warmup = bar_phase_warmup;
}

void StrategyService::on_fill(const FillEvent& e) {
  if (e.strategy >= entries_.size()) return;
  if (in_callback_) {
    pending_.push_back({e.strategy, Pending{true, e, {}, {}}});
    return;
  }
  {
    FlagScope in_callback(in_callback_), may_emit(clock_.may_emit);
    clock_.now = std::max(clock_.now, e.ts);
    entries_[e.strategy].runtime->on_fill(e);
  }
  drain();
}

void StrategyService::on_notice(StrategyIndex strategy, const OrderNotice& notice) {
  if (strategy >= entries_.size()) return;
  Pending p{false, {}, notice, std::string(notice.reason)};
  p.notice.reason = {};
  if (in_callback_) {
    pending_.push_back({strategy, std::move(p)});
    return;
  }
  {
    FlagScope in_callback(in_callback_);
    deliver(strategy, p);
  }
  drain();
}

void StrategyService::deliver(StrategyIndex strategy, const Pending& p) {
  auto& runtime = *entries_[strategy].runtime;
  // A signal raised here joins the risk batch of this timestamp (or the next
  // round of it, when the batch is being published): like one from on_bar,
  // its order is first eligible on the next bar.
  FlagScope may_emit(clock_.may_emit);
  // Execution publishes a bar's fills before this service sees the bar.
  clock_.now = std::max(clock_.now, p.is_fill ? p.fill.ts : p.notice.ts);
  if (p.is_fill) {
    runtime.on_fill(p.fill);
  } else {
    OrderNotice n = p.notice;
    n.reason = p.reason;
    runtime.on_order(n);
  }
}

void StrategyService::drain() {
  // A delivered callback may queue more (e.g. it cancels an order): loop by index.
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const auto [strategy, p] = pending_[i];
    FlagScope in_callback(in_callback_);
    deliver(strategy, p);
  }
  pending_.clear();
}

}  // namespace qtrader
