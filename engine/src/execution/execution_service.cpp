#include "execution/execution_service.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "base/flag_scope.hpp"
#include "base/quantity.hpp"
#include "execution/fill_rules.hpp"
#include "execution/order_checks.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace {
bool is_market_like(OrderType t) { return t == OrderType::Market || t == OrderType::MarketOnClose; }
}  // namespace

ExecutionService::ExecutionService(EventBus& bus, const ExecutionConfig& config,
                                   const PortfolioView& portfolio, std::size_t symbol_count)
    : ExecutionService(bus, config, PortfolioConfig{}, portfolio, symbol_count) {}

ExecutionService::ExecutionService(EventBus& bus, const ExecutionConfig& config,
                                   const PortfolioConfig& rules, const PortfolioView& portfolio,
                                   std::size_t symbol_count, const CorporateActions* actions,
                                   std::vector<ExchangeClock> clocks)
    : bus_(bus), commission_(config.commission), slippage_(config.slippage),
      impact_(config.impact_by_symbol.size() == symbol_count ? MarketImpactModel(config.impact_by_symbol)
                                                             : MarketImpactModel(config.impact, symbol_count)),
      rules_(rules),
      portfolio_(portfolio), actions_(actions),
      market_at_close_(config.fill_policy == FillPolicy::SameBarClose), volume_limit_(config.volume_limit),
      book_(symbol_count),
      max_working_per_strategy_(static_cast<std::size_t>(std::max(1, config.max_working_orders_per_strategy))),
      last_bar_(symbol_count), last_flags_(symbol_count, 0),
      ended_(symbol_count, 0), clocks_(std::move(clocks)), volume_taken_(symbol_count, 0.0),
      next_action_(symbol_count, 0) {
  clocks_.resize(symbol_count);
  bus_.subscribe<OrderEvent>([this](const OrderEvent& e) { on_command(e); });
  bus_.subscribe<CancelRequestEvent>([this](const CancelRequestEvent& e) { on_command(e); });
  bus_.subscribe<ModifyOrderEvent>([this](const ModifyOrderEvent& e) { on_command(e); });
  bus_.subscribe<BarEvent>([this](const BarEvent& e) { on_bar(e); });
}

std::size_t ExecutionService::working_orders() const noexcept { return book_.live(); }

void ExecutionService::use_futures(const FuturesTerms& futures, std::size_t strategies) {
  if (!futures.any()) return;
  futures_ = &futures;
  futures_strategies_ = strategies;
  bus_.subscribe<ValuationTriggerEvent>([this](const ValuationTriggerEvent& e) { on_valuation(e.ts); });
}

const WorkingOrder* ExecutionService::find(OrderId id) const {
  const auto at = book_.locate(id);
  return at ? &book_.orders(at->symbol)[at->slot] : nullptr;
}

// ---- commands ------------------------------------------------------------------

void ExecutionService::on_command(Command c) {
  inbox_.push_back(c);
  if (busy_) return;  // runs when the publish that raised it returns
  FlagScope busy(busy_);
  run_commands();
}

// First in, first out; a command may raise more (a cancel's update reaches a
// strategy that cancels another order), which join the queue.
void ExecutionService::run_commands() {
  while (!inbox_.empty()) {
    const Command c = inbox_.front();
    inbox_.pop_front();
    if (const auto* order = std::get_if<OrderEvent>(&c))
      accept(*order);
    else if (const auto* change = std::get_if<ModifyOrderEvent>(&c))
      modify(*change);
    else
      cancel(std::get<CancelRequestEvent>(c));
  }
}

// ---- acceptance ----------------------------------------------------------------

double ExecutionService::batch_sale_proceeds(Timestamp batch) const {
  // By symbol, then arrival: the order of the sum is part of the result.
  double total = 0.0;
  book_.for_each_batch_sale(batch, [&](SymbolId s, const WorkingOrder& w) {
    const double price = portfolio_.last_price(s);
    if (!std::isfinite(price)) return;
    const double q = w.remaining();
    total += q * price - commission_(q, price);
  });
  return total;
}

double ExecutionService::reference_price(const OrderEvent& o) const {
  const double last = portfolio_.last_price(o.symbol);
  switch (o.spec.type) {
    case OrderType::Limit:
    case OrderType::StopLimit:
      // A buy limit pays at most its limit, and no more than the market if marketable.
      return o.side == Side::Buy && std::isfinite(last) ? std::min(last, o.spec.limit_price)
                                                        : o.spec.limit_price;
    case OrderType::Stop:
      return o.spec.stop_price;
    default:
      return last;
  }
}

std::string ExecutionService::check_against_portfolio(const OrderEvent& o) const {
  const double q = o.quantity;
  if (!rules_.allow_short && o.side == Side::Sell) {
    const double working_sells = book_.working_sells(o.strategy, o.symbol);
    const double pos = portfolio_.strategy_position(o.strategy, o.symbol);
    if (pos - working_sells - q < -kQtyEps)
      return fmt::format(
          "short selling is disabled (portfolio.allow_short: false): position {}, working sells {}, "
          "sell {}",
          pos, working_sells, q);
  }
  const double ref = reference_price(o);
  if (is_future(o.symbol)) {
    if (std::string e = check_initial_margin(o); !e.empty()) return e;
  }
  if (!std::isfinite(ref)) return {};  // no price yet: the fill checks cash
  const bool may_borrow = rules_.max_gross_leverage > 1.0;
  if (o.side == Side::Buy && !may_borrow && !is_future(o.symbol)) {
    const double cost = q * ref + commission_(q, ref);
    if (cost > portfolio_.cash()) {
      const double proceeds = batch_sale_proceeds(o.ts);
      if (cost > portfolio_.cash() + proceeds)
        return proceeds > 0.0
                   ? fmt::format("insufficient cash: need {:.2f} at {}, have {:.2f} and {:.2f} "
                                 "from the batch's sales",
                                 cost, ref, portfolio_.cash(), proceeds)
                   : fmt::format("insufficient cash: need {:.2f} at {}, have {:.2f}", cost, ref,
                                 portfolio_.cash());
    }
  }
  if (rules_.max_gross_leverage > 0.0) {
    double gross = 0.0, own = 0.0;
    for (SymbolId s = 0; s < last_bar_.size(); ++s) {
      const double p = portfolio_.last_price(s);
      const double exposure = std::isfinite(p) ? std::fabs(portfolio_.position(s) * p * multiplier(s)) : 0.0;
      gross += exposure;
      if (s == o.symbol) own = exposure;
    }
    const double last = portfolio_.last_price(o.symbol);
    const double price = std::isfinite(last) ? last : ref;
    const double after_qty = portfolio_.position(o.symbol) + (o.side == Side::Buy ? q : -q);
    const double gross_after = gross - own + std::fabs(after_qty * price * multiplier(o.symbol));
    const double equity = portfolio_.equity();
    if (gross_after > gross &&
        (equity <= 0.0 || gross_after > rules_.max_gross_leverage * equity))
      return fmt::format("gross leverage {:.4f} would exceed portfolio.max_gross_leverage {}",
                         equity > 0.0 ? gross_after / equity : INFINITY, rules_.max_gross_leverage);
  }
  return {};
}

void ExecutionService::accept(const OrderEvent& order) {
  // An order on a continuous symbol trades the contract the series holds next.
  OrderEvent routed;
  if (futures_ && futures_->is_continuous(order.symbol)) {
    routed = order;
    routed.symbol = futures_->route(order.symbol, order.ts);
  }
  const OrderEvent& o = futures_ && futures_->is_continuous(order.symbol) ? routed : order;
  now_ = std::max(now_, o.ts);
  std::string reason = check_order_fields(o, rules_.fractional_quantities);
  if (reason.empty() && o.symbol < ended_.size() && ended_[o.symbol])
    reason = fmt::format("no data after {}: the symbol's position was closed there (data.stale_policy: close)",
                         format_timestamp(ended_[o.symbol]));
  if (reason.empty() && book_.is_working(o.order_id))
    reason = fmt::format("duplicate order id {}: an order with this id is working", o.order_id);
  const bool own = o.end_of_data || o.origin != OrderEvent::Origin::Strategy;  // execution's own orders
  const bool checked = !o.parent_id && !own && !o.moved_from;  // a moved order was checked when first placed
  if (reason.empty() && checked && book_.live_of(o.strategy) >= max_working_per_strategy_)
    reason = fmt::format(
        "too many working orders: the strategy has {} (execution.max_working_orders_per_strategy: {})",
        book_.live_of(o.strategy), max_working_per_strategy_);
  if (reason.empty() && checked) reason = check_against_portfolio(o);
  if (!reason.empty()) {
    emit(OrderRejectedEvent{o.ts, o.order_id, o.signal_id, o.strategy, o.symbol, reason});
    return;
  }
  WorkingOrder w;
  w.order = o;
  if (o.spec.type == OrderType::TrailingStop) start_trailing(w, portfolio_.last_price(o.symbol));
  book_.add(w);
  publish_update(w, o.ts, OrderStatus::Accepted);

  // same_bar_close: a market order created on its symbol's current bar takes that bar's close.
  const Bar& bar = last_bar_[o.symbol];
  if (market_at_close_ && is_market_like(o.spec.type) && bar.ts == o.ts && bar.ts != 0 &&
      (o.spec.type != OrderType::MarketOnClose || closes_session(o.symbol, bar.ts, last_flags_[o.symbol])))
    if (const auto i = index_of(o.symbol, o.order_id)) {
      work(o.symbol, *i, bar, FillPhase::Close);
      end_of_bar(o.symbol, *i, bar);
      if (const auto j = index_of(o.symbol, o.order_id)) book_.reindex(list(o.symbol)[*j]);
    }
  flush_children();
  if (!in_bar_) book_.compact(o.symbol);
}

void ExecutionService::cancel(const CancelRequestEvent& c) {
  now_ = std::max(now_, c.ts);
  if (const auto at = book_.locate(c.order_id)) {
    WorkingOrder& w = list(at->symbol)[at->slot];
    if (w.order.strategy == c.strategy) {
      finish(w, OrderStatus::Cancelled, "cancelled by strategy");
      return;
    }
  }
  emit(OrderRejectedEvent{
      c.ts, c.order_id, 0, c.strategy, kNoSymbol,
      fmt::format("cancel refused: order {} is not a working order of this strategy", c.order_id)});
}

// ---- the bar -------------------------------------------------------------------

void ExecutionService::apply_split(SymbolId s, double r) {
  for (auto& w : list(s)) {
    OrderSpec& spec = w.order.spec;
    w.order.quantity *= r;
    w.filled *= r;
    spec.limit_price /= r;
    spec.stop_price /= r;
    spec.trail_amount /= r;
    w.trail_ref /= r;
    w.trail_stop /= r;
    w.order.stop_loss /= r;
    w.order.take_profit /= r;
  }
  book_.reindex_symbol(s);
}

void ExecutionService::on_bar(const BarEvent& e) {
  {
    FlagScope busy(busy_), in_bar(in_bar_);
    if (impact_.enabled()) impact_.begin_bar(e.bar.symbol);
    work_bar(e.bar, e.flags);
    if (close_at_end_ && (e.flags & kBarEndOfData)) close_out(e.bar);
    if (impact_.enabled()) impact_.observe(e.bar);  // after its fills: bars strictly before a fill
  }
  book_.compact(e.bar.symbol);
}

void ExecutionService::close_out(const Bar& bar) {
  const SymbolId s = bar.symbol;
  for (std::size_t i = 0; i < list(s).size(); ++i)
    if (!list(s)[i].done)
      finish(list(s)[i], OrderStatus::Cancelled,
             "end of data: no bar after this one (data.stale_policy: close)");
  for (std::size_t i = 0; i < strategy_count_; ++i) {
    const auto k = static_cast<StrategyIndex>(i);
    const double pos = portfolio_.strategy_position(k, s);
    if (std::fabs(pos) <= kQtyEps) continue;
    OrderEvent close{bar.ts, next_child_id_++, 0, k, s, pos > 0 ? Side::Sell : Side::Buy, std::fabs(pos)};
    close.end_of_data = true;
    emit(close);  // accepted like any order (the store and trades.csv see it) ...
    if (const auto i = index_of(s, close.order_id)) execute(s, *i, bar, bar.close);  // ... filled at the close
  }
  ended_[s] = bar.ts;
}

void ExecutionService::work_bar(const Bar& bar, std::uint8_t flags) {
  const SymbolId s = bar.symbol;
  now_ = std::max(now_, bar.ts);
  last_bar_[s] = bar;
  last_flags_[s] = flags;
  volume_taken_[s] = 0.0;
  if (actions_)
    for (const auto& a : due_actions(actions_->of(s), next_action_[s], bar.ts))
      if (a.type == CorporateAction::Type::Split) apply_split(s, a.value);
  if (book_.live(s) == 0) return;
  // Only the orders the bar can concern (the others would neither fill,
  // trigger nor expire on it), in arrival order. Orders placed while this bar
  // is worked (bracket children) wait in children_, so the list only grows
  // after the loop.
  // In the order prices occur in the bar: fills at the open, then inside the
  // bar, then at the close; within each, the strategies' own orders before
  // bracket children (an exit decided at the last close goes before the stop
  // it makes unnecessary).
  book_.affected_by(bar, clock_of(s).at_local_midnight(bar.ts), slots_);
  for (const FillPhase phase : {FillPhase::Open, FillPhase::Inside, FillPhase::Close})
    for (const bool children : {false, true})
      for (const std::size_t i : slots_)
        if (list(s)[i].is_child() == children) work(s, i, bar, phase);
  for (const std::size_t i : slots_) end_of_bar(s, i, bar);
  // A stop-limit that triggered, a DAY order that learned its session's end.
  for (const std::size_t i : slots_) book_.reindex(list(s)[i]);
  book_.trailing(s, slots_);
  for (const std::size_t i : slots_) {
    WorkingOrder& w = list(s)[i];
    if (w.order.ts < bar.ts) follow_trailing(w, bar);
  }
  flush_children();
  book_.compact(s);
}

bool ExecutionService::expire_if_due(WorkingOrder& w, const Bar& bar) {
  const OrderSpec& spec = w.order.spec;
  if (spec.tif == TimeInForce::GTD && bar.ts > spec.expiry) {
    finish(w, OrderStatus::Expired, "GTD expiry reached");
    return true;
  }
  if (spec.tif == TimeInForce::Day) {
    // The exchange's session, not the UTC day: an order placed at 15:59 in
    // New York ends at 16:00 there (with a calendar) or at local midnight.
    if (w.day_end < 0) w.day_end = clock_of(bar.symbol).day_order_end(w.order.ts, bar.ts);
    if (bar.ts >= w.day_end) {
      finish(w, OrderStatus::Expired, "DAY order: session ended");
      return true;
    }
  }
  return false;
}

// The bar a market-on-close order fills on: its stream says it is the
// session's last (ExchangeBarStream), or it is a daily bar, which is a
// whole session.
bool ExecutionService::closes_session(SymbolId s, Timestamp ts, std::uint8_t flags) const {
  return (flags & kBarSessionClose) || clock_of(s).at_local_midnight(ts);
}

bool ExecutionService::active_on(const WorkingOrder& w, const Bar& bar) const {
  const bool creation_bar =
      market_at_close_ && is_market_like(w.order.spec.type) && w.order.ts == bar.ts;
  return !w.done && (w.order.ts < bar.ts || creation_bar);  // else active from the next bar
}

ExecutionService::FillPhase ExecutionService::phase_of(const WorkingOrder& w, const Bar& bar) const {
  const OrderType t = w.order.spec.type;
  // Market-on-close waits for its session's closing bar (docs/execution.md).
  if (t == OrderType::MarketOnClose && !closes_session(bar.symbol, bar.ts, last_flags_[bar.symbol]))
    return FillPhase::None;
  const BarMatch m = match_bar(w, bar, market_at_close_);
  if (!m.fills) return FillPhase::None;
  if (m.at_open) return FillPhase::Open;
  return t == OrderType::MarketOnClose || (t == OrderType::Market && market_at_close_)
             ? FillPhase::Close
             : FillPhase::Inside;
}

void ExecutionService::work(SymbolId s, std::size_t i, const Bar& bar, FillPhase phase) {
  {
    WorkingOrder& w = list(s)[i];
    if (!active_on(w, bar) || w.skip_until == bar.ts) return;
    if (expire_if_due(w, bar)) return;
    if (phase_of(w, bar) != phase) return;
  }
  if (const auto winner = pessimistic_winner(s, i, bar)) {
    list(s)[i].skip_until = bar.ts;
    work(s, *winner, bar, phase_of(list(s)[*winner], bar));
    return;
  }
  const BarMatch m = match_bar(list(s)[i], bar, market_at_close_);
  trigger(list(s)[i], m);
  execute(s, i, bar, m.price);
}

// What a bar ends for an order it did not complete: IOC and FOK are over after
// their first bar; a DAY order's session is over after a daily bar (stamped at
// the exchange's local midnight).
void ExecutionService::end_of_bar(SymbolId s, std::size_t i, const Bar& bar) {
  WorkingOrder& w = list(s)[i];
  if (!active_on(w, bar)) return;
  if (expire_if_due(w, bar)) return;
  const TimeInForce tif = w.order.spec.tif;
  if (tif == TimeInForce::IOC || tif == TimeInForce::FOK) {
    trigger(w, match_bar(w, bar, market_at_close_));
    finish(w, OrderStatus::Cancelled,
           w.filled > 0 ? "IOC: unfilled remainder cancelled" : "not marketable on its first bar");
  } else if (tif == TimeInForce::Day && clock_of(s).at_local_midnight(bar.ts)) {
    finish(w, OrderStatus::Expired, "DAY order: session ended");
  } else if (w.order.spec.type == OrderType::StopLimit && !w.triggered) {
    trigger(w, match_bar(w, bar, market_at_close_));  // a trigger without a fill stays triggered
  }
}

std::optional<std::size_t> ExecutionService::pessimistic_winner(SymbolId s, std::size_t i,
                                                                const Bar& bar) {
  const WorkingOrder& w = list(s)[i];
  if (!w.is_child() || !w.peer) return std::nullopt;
  const auto j = index_of(s, w.peer);
  if (!j) return std::nullopt;
  const WorkingOrder& peer = list(s)[*j];
  if (peer.order.ts >= bar.ts || peer.skip_until == bar.ts) return std::nullopt;
  const BarMatch ma = match_bar(w, bar, false), mb = match_bar(peer, bar, false);
  if (!ma.fills || !mb.fills) return std::nullopt;
  // Both reached: the open is the first price of the bar, so a gap decides;
  // otherwise the path inside the bar is unknown and the stop is assumed first.
  bool peer_first;
  if (ma.at_open != mb.at_open)
    peer_first = mb.at_open;
  else
    peer_first = peer.is_stop_like() && !w.is_stop_like();
  return peer_first ? std::optional<std::size_t>(*j) : std::nullopt;
}

void ExecutionService::execute(SymbolId s, std::size_t i, const Bar& bar, double match_price) {
  WorkingOrder& w = list(s)[i];
  double qty = w.remaining();
  // Closing a position whose data ends, a roll leg, a liquidation: no cap, no cash check.
  const bool forced = w.order.end_of_data || w.order.origin != OrderEvent::Origin::Strategy;
  if (volume_limit_ > 0.0 && !forced) {
    double room = volume_limit_ * bar.volume - volume_taken_[s];
    if (!rules_.fractional_quantities) room = std::floor(room + kQtyEps);
    qty = std::min(qty, std::max(0.0, room));
  }
  if (w.order.spec.tif == TimeInForce::FOK && qty < w.remaining() - kQtyEps) {
    finish(w, OrderStatus::Cancelled,
           fmt::format("FOK: only {} of {} available within the volume limit", qty, w.remaining()));
    return;
  }
  if (qty <= kQtyEps) return;  // no volume left on this bar; keeps working

  const Side side = w.order.side;
  double impact = 0.0;  // market impact of this fill (price units), committed with the fill
  const double price = impact_.enabled() ? with_impact(s, side, match_price, qty, bar, price_limit(w), impact)
                                         : slippage_.apply(side, match_price, qty, bar, price_limit(w));
  commission_.roll_month(bar.ts);
  OrderCommission charges = w.commission;  // committed only if the fill goes ahead
  const double fee = commission_.fill_fee(charges, qty, price);
  if (side == Side::Sell && !rules_.allow_short) {
    const double pos = portfolio_.strategy_position(w.order.strategy, s);
    if (pos - qty < -kQtyEps) {
      refuse(w, bar.ts,
             fmt::format("short selling is disabled (portfolio.allow_short: false): position {}, "
                         "sell {}",
                         pos, qty));
      return;
    }
  }
  if (side == Side::Buy && !(rules_.max_gross_leverage > 1.0) && !forced && !is_future(s)) {
    const double cost = qty * price + fee;
    // Bars of one timestamp are worked in symbol order, so a batch's buy may
    // come before the sale that pays for it: count that sale.
    if (cost > portfolio_.cash() &&
        (w.is_child() || cost > portfolio_.cash() + batch_sale_proceeds(w.order.ts))) {
      refuse(w, bar.ts,
             fmt::format("insufficient cash at fill: need {:.2f}, have {:.2f}", cost,
                         portfolio_.cash()));
      return;
    }
  }
  book_.fill(w, qty);
  if (impact != 0.0) impact_.commit(s, side, impact);
  w.commission = charges;
  volume_taken_[s] += qty;
  commission_.record_fill(bar.ts, qty);
  emit(FillEvent{bar.ts, w.order.order_id, w.order.strategy, s, side, qty, price, fee, w.order.signal_id,
                 w.order.origin});
  after_fill(s, i, qty);
}

// Slippage on the reference price (the match price moved by the bar's
// permanent impact so far), then the impact, kept in the bar's range and
// within the limit as slippage is. `impact` gets the full impact, whose
// permanent part moves the bar's later fills once this fill goes ahead.
double ExecutionService::with_impact(SymbolId s, Side side, double match_price, double qty, const Bar& bar,
                                     double limit, double& impact) {
  const double reference = impact_.reference(s, match_price);
  const double slipped = slippage_.apply(side, reference, qty, bar, limit);
  impact = impact_.impact(s, qty, reference);
  double p = side == Side::Buy ? slipped + impact : slipped - impact;
  p = std::clamp(p, bar.low, bar.high);
  if (std::isfinite(limit)) p = side == Side::Buy ? std::min(p, limit) : std::max(p, limit);
  return p;
}

void ExecutionService::after_fill(SymbolId s, std::size_t i, double qty) {
  const Timestamp ts = last_bar_[s].ts;
  {
    WorkingOrder& w = list(s)[i];
    const bool complete = w.remaining() <= kQtyEps;
    if (complete) book_.retire(w);
    publish_update(list(s)[i], ts, complete ? OrderStatus::Filled : OrderStatus::PartiallyFilled);
  }
  WorkingOrder& w = list(s)[i];
  if (w.is_child()) {
    // One-cancels-other: the sibling shrinks with this fill and goes when it completes.
    if (const auto j = index_of(s, w.peer)) {
      WorkingOrder& peer = list(s)[*j];
      const OrderId filled_id = w.order.order_id;
      if (w.done)
        finish(peer, OrderStatus::Cancelled,
               fmt::format("one-cancels-other: order {} filled", filled_id));
      else
        peer.order.quantity = peer.filled + list(s)[i].remaining();
    }
    return;
  }
  if (std::isfinite(w.order.stop_loss) || std::isfinite(w.order.take_profit))
    place_or_grow_children(s, i, qty);
  protect_exits(s, list(s)[i].order.strategy);
}

// Children sized to what the entry has filled; placed after this bar's fills
// (their timestamp is the fill's, so they are active from the next bar).
void ExecutionService::place_or_grow_children(SymbolId s, std::size_t i, double qty) {
  WorkingOrder& entry = list(s)[i];
  if (entry.stop_child || entry.profit_child) {
    for (const OrderId id : {entry.stop_child, entry.profit_child}) {
      if (auto j = index_of(s, id)) {
        list(s)[*j].order.quantity += qty;
        continue;
      }
      for (auto& c : children_)
        if (c.order_id == id) c.quantity += qty;
    }
    return;
  }
  const Side exit_side = entry.order.side == Side::Buy ? Side::Sell : Side::Buy;
  OrderEvent child{last_bar_[s].ts, 0, entry.order.signal_id, entry.order.strategy, s,
                   exit_side, qty, OrderSpec{}, entry.order.order_id};
  if (std::isfinite(entry.order.stop_loss)) {
    child.order_id = entry.stop_child = next_child_id_++;
    child.spec.type = OrderType::Stop;
    child.spec.stop_price = entry.order.stop_loss;
    children_.push_back(child);
  }
  if (std::isfinite(entry.order.take_profit)) {
    child.order_id = entry.profit_child = next_child_id_++;
    child.spec = OrderSpec{};
    child.spec.type = OrderType::Limit;
    child.spec.limit_price = entry.order.take_profit;
    children_.push_back(child);
  }
}

// After a strategy's own (non-bracket) fill: its bracket exits on the symbol
// shrink to its position, and go when the position is closed or reversed.
void ExecutionService::protect_exits(SymbolId s, StrategyIndex strategy) {
  const double pos = portfolio_.strategy_position(strategy, s);
  book_.children_of(s, strategy, exits_);
  for (const std::size_t j : exits_) {
    WorkingOrder& c = list(s)[j];
    if (c.done) continue;
    const double protects = c.order.side == Side::Sell ? pos : -pos;
    if (protects <= kQtyEps)
      finish(c, OrderStatus::Cancelled, "position closed");
    else if (c.remaining() > protects)
      c.order.quantity = c.filled + protects;
  }
}

void ExecutionService::flush_children() {
  if (children_.empty()) return;
  std::vector<OrderEvent> placed;
  placed.swap(children_);
  for (std::size_t k = 0; k < placed.size(); ++k) {
    const OrderEvent& c = placed[k];
    emit(c);  // accepted like any order
    const auto i = index_of(c.symbol, c.order_id);
    // Pair the siblings for one-cancels-other: an entry's two children are
    // placed one after the other.
    if (!i || k == 0 || placed[k - 1].parent_id != c.parent_id) continue;
    const OrderEvent& before = placed[k - 1];
    if (const auto j = index_of(c.symbol, before.order_id)) {
      list(c.symbol)[*j].peer = c.order_id;
      list(c.symbol)[*i].peer = before.order_id;
    }
  }
}

// ---- outcomes ------------------------------------------------------------------

void ExecutionService::publish_update(const WorkingOrder& w, Timestamp ts, OrderStatus status,
                                      std::string reason) {
  emit(OrderUpdateEvent{ts, w.order.order_id, w.order.signal_id, w.order.strategy, w.order.symbol,
                        status, w.filled, std::max(0.0, w.remaining()), std::move(reason),
                        w.order.side, w.order.quantity});
}

void ExecutionService::finish(WorkingOrder& w, OrderStatus status, std::string reason) {
  book_.retire(w);
  publish_update(w, now_, status, std::move(reason));
}

// Refused at the fill: a rejection when nothing has filled, else the rest is cancelled.
void ExecutionService::refuse(WorkingOrder& w, Timestamp ts, std::string reason) {
  if (w.filled > 0) {
    finish(w, OrderStatus::Cancelled, std::move(reason));
    return;
  }
  book_.retire(w);
  emit(OrderRejectedEvent{ts, w.order.order_id, w.order.signal_id, w.order.strategy, w.order.symbol,
                          std::move(reason)});
}

}  // namespace qtrader

namespace qtrader {

// ---- futures (docs/futures.md) -------------------------------------------------

// Initial margin on what the order would hold: the contract's position after
// it plus the other contracts held, against equity. Only an order that opens
// or increases a position is checked; one that reduces it always may.
std::string ExecutionService::check_initial_margin(const OrderEvent& o) const {
  const double pos = portfolio_.position(o.symbol);
  const double after = pos + (o.side == Side::Buy ? o.quantity : -o.quantity);
  if (std::fabs(after) <= std::fabs(pos) + kQtyEps) return {};
  double others = 0.0;
  for (SymbolId s = 0; s < futures_->by_symbol.size(); ++s)
    if (s != o.symbol && is_future(s) && !futures_->is_continuous(s))
      others += std::fabs(portfolio_.position(s)) * futures_->by_symbol[s].initial_margin;
  const double per_contract = futures_->by_symbol[o.symbol].initial_margin;
  const double need = std::fabs(after) * per_contract + others;
  const double equity = portfolio_.equity();
  if (need <= equity) return {};
  return fmt::format("insufficient margin: need {:.2f} initial margin ({} contracts at {:.2f}{}), equity {:.2f}",
                     need, std::fabs(after), per_contract,
                     others > 0.0 ? fmt::format(" and {:.2f} for other contracts", others) : std::string(),
                     equity);
}

void ExecutionService::on_valuation(Timestamp ts) {
  FlagScope busy(busy_);
  now_ = std::max(now_, ts);
  trade_rolls(ts);
  check_maintenance_margin(ts);
  run_commands();
}

// Each holding strategy's position moves from the old contract to the new
// one as a spread: a market order closing the old and one opening the new,
// created at the old contract's last bar in the series and filled at the
// roll bar's open.
void ExecutionService::trade_rolls(Timestamp ts) {
  const auto& rolls = futures_->rolls;
  for (; next_roll_ < rolls.size() && rolls[next_roll_].decided <= ts; ++next_roll_) {
    const ScheduledRoll& r = rolls[next_roll_];
    for (std::size_t i = 0; i < futures_strategies_; ++i) {
      const auto k = static_cast<StrategyIndex>(i);
      const double pos = portfolio_.strategy_position(k, r.from);
      if (std::fabs(pos) <= kQtyEps) continue;
      const Side close_side = pos > 0 ? Side::Sell : Side::Buy;
      OrderEvent close{ts, next_child_id_++, 0, k, r.from, close_side, std::fabs(pos)};
      close.origin = OrderEvent::Origin::Roll;
      emit(close);
      OrderEvent open{ts, next_child_id_++, 0, k, r.to, pos > 0 ? Side::Buy : Side::Sell, std::fabs(pos)};
      open.origin = OrderEvent::Origin::Roll;
      emit(open);
    }
    move_orders(r, ts);
  }
}

// The strategies' working orders on the old contract move with the position
// (after the roll's legs, so those fill first at the roll bar's open): each
// is cancelled and placed again on the new contract for what remains of it,
// under a new id (`moved_from` names the old one), its prices adjusted as the
// series is at this roll. A bracket's two exits move as a pair.
void ExecutionService::move_orders(const ScheduledRoll& r, Timestamp ts) {
  const auto moved_price = [&](double p) { return p * r.scale + r.shift; };
  // By id: a handler's command run by finish() may compact the list.
  std::vector<OrderId> ids;
  for (const WorkingOrder& w : list(r.from))
    if (!w.done && w.order.origin == OrderEvent::Origin::Strategy && !w.order.end_of_data) ids.push_back(w.order.order_id);
  std::vector<OrderEvent> entries;
  for (const OrderId id : ids) {
    const auto i = index_of(r.from, id);
    if (!i || list(r.from)[*i].done) continue;
    WorkingOrder& w = list(r.from)[*i];
    OrderEvent o = w.order;
    o.ts = ts;
    o.symbol = r.to;
    o.quantity = w.remaining();
    o.moved_from = w.order.order_id;
    o.order_id = next_child_id_++;
    o.spec.limit_price = moved_price(o.spec.limit_price);
    o.spec.stop_price = moved_price(o.spec.stop_price);
    o.spec.trail_amount *= r.scale;  // a distance: a difference leaves it
    o.stop_loss = moved_price(o.stop_loss);
    o.take_profit = moved_price(o.take_profit);
    finish(w, OrderStatus::Cancelled, fmt::format("roll: moved to the next contract as order {}", o.order_id));
    (o.parent_id ? children_ : entries).push_back(o);
  }
  for (const OrderEvent& o : entries) emit(o);
  flush_children();  // a bracket's exits, paired again
}

// The margin-call rule: at a close where equity is below the maintenance
// margin of the futures held, a `margin_call` record (the shortfall) for each
// strategy holding futures, and market orders closing all its futures at the
// next open. No new call while those orders work.
void ExecutionService::check_maintenance_margin(Timestamp ts) {
  for (const OrderId id : liquidations_)
    if (find(id)) return;
  liquidations_.clear();
  double need = 0.0;
  for (SymbolId s = 0; s < futures_->by_symbol.size(); ++s)
    if (is_future(s) && !futures_->is_continuous(s))
      need += std::fabs(portfolio_.position(s)) * futures_->by_symbol[s].maintenance_margin;
  if (need <= 0.0) return;
  const double equity = portfolio_.equity();
  if (equity >= need) return;
  for (std::size_t i = 0; i < futures_strategies_; ++i) {
    const auto k = static_cast<StrategyIndex>(i);
    bool called = false;
    for (SymbolId s = 0; s < futures_->by_symbol.size(); ++s) {
      if (!is_future(s) || futures_->is_continuous(s)) continue;
      const double pos = portfolio_.strategy_position(k, s);
      if (std::fabs(pos) <= kQtyEps) continue;
      if (!called) {
        emit(RecordEvent{ts, k, kNoSymbol, "margin_call", need - equity});
        called = true;
      }
      OrderEvent close{ts, next_child_id_++, 0, k, s, pos > 0 ? Side::Sell : Side::Buy, std::fabs(pos)};
      close.origin = OrderEvent::Origin::MarginCall;
      liquidations_.push_back(close.order_id);
      emit(close);
    }
  }
}

}  // namespace qtrader
