#include "execution/order_book.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace qtrader {

namespace {
constexpr std::uint64_t kLastSeq = std::numeric_limits<std::uint64_t>::max();

// Appends the seqs of `set` whose price satisfies `from`/`to` (both inclusive;
// NaN bounds take everything, so a malformed bar cannot hide an order).
void prices_at_least(const std::set<std::pair<double, std::uint64_t>>& set, double from,
                     std::vector<std::uint64_t>& out) {
  auto it = std::isnan(from) ? set.begin() : set.lower_bound({from, 0});
  for (; it != set.end(); ++it) out.push_back(it->second);
}
void prices_at_most(const std::set<std::pair<double, std::uint64_t>>& set, double to,
                    std::vector<std::uint64_t>& out) {
  const auto end = std::isnan(to) ? set.end() : set.upper_bound({to, kLastSeq});
  for (auto it = set.begin(); it != end; ++it) out.push_back(it->second);
}
}  // namespace

OrderBook::OrderBook(std::size_t symbols) : books_(symbols) {}

BookKeys OrderBook::keys_of(const WorkingOrder& w) {
  BookKeys k;
  const OrderSpec& spec = w.order.spec;
  const bool buy = w.order.side == Side::Buy;
  switch (spec.type) {
    case OrderType::Market:
    case OrderType::MarketOnClose:
    case OrderType::TrailingStop:  // its level moves with every bar
      k.every_bar = true;
      break;
    case OrderType::Limit:
      k.price_side = buy ? BookKeys::Price::BuyLimit : BookKeys::Price::SellLimit;
      k.price = spec.limit_price;
      break;
    case OrderType::Stop:
      k.price_side = buy ? BookKeys::Price::BuyStop : BookKeys::Price::SellStop;
      k.price = spec.stop_price;
      break;
    case OrderType::StopLimit:
      if (w.triggered) {
        k.price_side = buy ? BookKeys::Price::BuyLimit : BookKeys::Price::SellLimit;
        k.price = spec.limit_price;
      } else {
        k.price_side = buy ? BookKeys::Price::BuyStop : BookKeys::Price::SellStop;
        k.price = spec.stop_price;
      }
      break;
  }
  switch (spec.tif) {
    case TimeInForce::GTC:
      break;
    case TimeInForce::IOC:
    case TimeInForce::FOK:
      k.every_bar = true;  // over after their first bar
      break;
    case TimeInForce::GTD:  // expires on the first bar after its expiry
      k.has_due = true;
      k.due = spec.expiry;
      break;
    case TimeInForce::Day:  // its session's end is known from its first bar on
      k.day = true;
      if (w.day_end < 0) {
        k.every_bar = true;
      } else {
        k.has_due = true;
        k.due = w.day_end - 1;  // expires on a bar at or after day_end
      }
      break;
  }
  return k;
}

void OrderBook::insert(SymbolBook& b, const WorkingOrder& w) {
  const BookKeys& k = w.keys;
  const PriceKey pk{k.price, w.seq};
  switch (k.price_side) {
    case BookKeys::Price::None: break;
    case BookKeys::Price::BuyLimit: b.buy_limits.insert(pk); break;
    case BookKeys::Price::SellLimit: b.sell_limits.insert(pk); break;
    case BookKeys::Price::BuyStop: b.buy_stops.insert(pk); break;
    case BookKeys::Price::SellStop: b.sell_stops.insert(pk); break;
  }
  if (k.every_bar) b.every_bar.insert(w.seq);
  if (k.day) b.day.insert(w.seq);
  if (k.has_due) b.due.insert({k.due, w.seq});
}

void OrderBook::erase(SymbolBook& b, const WorkingOrder& w) {
  const BookKeys& k = w.keys;
  const PriceKey pk{k.price, w.seq};
  switch (k.price_side) {
    case BookKeys::Price::None: break;
    case BookKeys::Price::BuyLimit: b.buy_limits.erase(pk); break;
    case BookKeys::Price::SellLimit: b.sell_limits.erase(pk); break;
    case BookKeys::Price::BuyStop: b.buy_stops.erase(pk); break;
    case BookKeys::Price::SellStop: b.sell_stops.erase(pk); break;
  }
  if (k.every_bar) b.every_bar.erase(w.seq);
  if (k.day) b.day.erase(w.seq);
  if (k.has_due) b.due.erase({k.due, w.seq});
}

std::size_t OrderBook::add(WorkingOrder w) {
  const SymbolId s = w.order.symbol;
  SymbolBook& b = books_[s];
  w.seq = next_seq_++;
  w.done = false;
  w.keys = keys_of(w);
  insert(b, w);
  by_id_[w.order.order_id] = {s, w.seq};
  const StrategyIndex k = w.order.strategy;
  if (k >= live_by_strategy_.size()) live_by_strategy_.resize(std::size_t{k} + 1, 0);
  ++live_by_strategy_[k];
  ++live_;
  if (w.is_child()) children_[{s, k}].insert(w.seq);
  if (counts_as_sell(w)) {
    SellTotal& t = sells_[sells_key(k, s)];
    t.quantity += w.remaining();
    ++t.orders;
    const OrderType type = w.order.spec.type;
    if (type == OrderType::Market || type == OrderType::MarketOnClose)
      batch_sales_.insert({w.order.ts, s, w.seq});
  }
  b.orders.push_back(w);
  return b.orders.size() - 1;
}

std::size_t OrderBook::slot_by_seq(SymbolId s, std::uint64_t seq) const {
  const auto& list = books_[s].orders;
  const auto it = std::lower_bound(list.begin(), list.end(), seq,
                                   [](const WorkingOrder& w, std::uint64_t q) { return w.seq < q; });
  return static_cast<std::size_t>(it - list.begin());
}

std::optional<OrderBook::Location> OrderBook::locate(OrderId id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return Location{it->second.first, slot_by_seq(it->second.first, it->second.second)};
}

std::optional<std::size_t> OrderBook::slot_of(SymbolId s, OrderId id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second.first != s) return std::nullopt;
  return slot_by_seq(s, it->second.second);
}

void OrderBook::fill(WorkingOrder& w, double qty) {
  w.filled += qty;
  if (counts_as_sell(w)) sells_[sells_key(w.order.strategy, w.order.symbol)].quantity -= qty;
}

void OrderBook::retire(WorkingOrder& w) {
  if (w.done) return;
  w.done = true;
  const SymbolId s = w.order.symbol;
  const StrategyIndex k = w.order.strategy;
  SymbolBook& b = books_[s];
  erase(b, w);
  by_id_.erase(w.order.order_id);
  ++b.done;
  --live_;
  --live_by_strategy_[k];
  if (w.is_child()) {
    const auto it = children_.find({s, k});
    it->second.erase(w.seq);
    if (it->second.empty()) children_.erase(it);
  }
  if (counts_as_sell(w)) {
    SellTotal& t = sells_[sells_key(k, s)];
    // The last one out leaves an exact zero: rounding never accumulates
    // across a strategy's episodes of working sells.
    t.quantity = --t.orders == 0 ? 0.0 : t.quantity - w.remaining();
    batch_sales_.erase({w.order.ts, s, w.seq});
  }
}

void OrderBook::reindex(WorkingOrder& w) {
  if (w.done) return;
  const BookKeys k = keys_of(w);
  if (k.price_side == w.keys.price_side && (k.price == w.keys.price || k.price_side == BookKeys::Price::None) &&
      k.every_bar == w.keys.every_bar && k.has_due == w.keys.has_due && k.due == w.keys.due)
    return;
  SymbolBook& b = books_[w.order.symbol];
  erase(b, w);
  w.keys = k;
  insert(b, w);
}

void OrderBook::reindex_symbol(SymbolId s) {
  SymbolBook& b = books_[s];
  b.buy_limits.clear();
  b.sell_limits.clear();
  b.buy_stops.clear();
  b.sell_stops.clear();
  b.every_bar.clear();
  b.day.clear();
  b.due.clear();
  for (auto& [key, total] : sells_)
    if ((key & 0xffffffffu) == s) total.quantity = 0.0;
  // Sums in arrival order, as a rescan would.
  for (WorkingOrder& w : b.orders) {
    if (w.done) continue;
    w.keys = keys_of(w);
    insert(b, w);
    if (counts_as_sell(w)) sells_[sells_key(w.order.strategy, s)].quantity += w.remaining();
  }
}

double OrderBook::working_sells(StrategyIndex k, SymbolId s) const {
  const auto it = sells_.find(sells_key(k, s));
  return it == sells_.end() ? 0.0 : it->second.quantity;
}

void OrderBook::affected_by(const Bar& bar, bool midnight, std::vector<std::size_t>& out) {
  out.clear();
  const SymbolBook& b = books_[bar.symbol];
  std::vector<std::uint64_t>& seqs = scratch_;
  seqs.clear();
  // The lowest and highest price of the bar: a buy limit fills only at or
  // above the lower of open and low, and so on (fill_rules.hpp).
  const double lo = std::fmin(std::fmin(bar.open, bar.low), std::fmin(bar.high, bar.close));
  const double hi = std::fmax(std::fmax(bar.open, bar.high), std::fmax(bar.low, bar.close));
  prices_at_least(b.buy_limits, lo, seqs);
  prices_at_most(b.sell_limits, hi, seqs);
  prices_at_most(b.buy_stops, hi, seqs);
  prices_at_least(b.sell_stops, lo, seqs);
  seqs.insert(seqs.end(), b.every_bar.begin(), b.every_bar.end());
  for (auto it = b.due.begin(); it != b.due.end() && it->first < bar.ts; ++it) seqs.push_back(it->second);
  if (midnight) seqs.insert(seqs.end(), b.day.begin(), b.day.end());
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  for (const std::uint64_t q : seqs) out.push_back(slot_by_seq(bar.symbol, q));
}

void OrderBook::trailing(SymbolId s, std::vector<std::size_t>& out) const {
  out.clear();
  for (const std::uint64_t q : books_[s].every_bar) {
    const std::size_t i = slot_by_seq(s, q);
    if (books_[s].orders[i].order.spec.type == OrderType::TrailingStop) out.push_back(i);
  }
}

void OrderBook::children_of(SymbolId s, StrategyIndex k, std::vector<std::size_t>& out) const {
  out.clear();
  const auto it = children_.find({s, k});
  if (it == children_.end()) return;
  for (const std::uint64_t q : it->second) out.push_back(slot_by_seq(s, q));
}

void OrderBook::compact(SymbolId s) {
  SymbolBook& b = books_[s];
  if (b.done == 0 || b.done * 2 < b.orders.size()) return;
  auto& list = b.orders;
  list.erase(std::remove_if(list.begin(), list.end(), [](const WorkingOrder& w) { return w.done; }),
             list.end());
  b.done = 0;
}

}  // namespace qtrader
