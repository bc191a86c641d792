// Brackets behind a broker (docs/live.md "Brackets"): the engine's own
// one-cancels-other, by the rules of the backtest's execution
// (execution_service.cpp: place_or_grow_children, after_fill, protect_exits)
// so that the same bars give the same orders. The exits are ordinary stop and
// limit orders at the broker: the venue knows nothing of their link, so the
// cancel of a sibling follows the fill that calls for it.
#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "base/quantity.hpp"
#include "live/broker_execution_service.hpp"

namespace qtrader::live {

void BrokerExecutionService::after_fill(const OrderEvent& order, double quantity, bool complete, Timestamp ts) {
  if (order.parent_id) {
    // One-cancels-other: the sibling shrinks with this fill and goes when it completes.
    const auto peer = peer_of_.find(order.order_id);
    if (peer == peer_of_.end()) return;
    const std::string id = client_id(peer->second);
    const auto it = orders_.find(id);
    if (it == orders_.end()) return;
    if (complete) {
      request_cancel(id, fmt::format("one-cancels-other: order {} filled", order.order_id), ts);
    } else {
      const auto self = orders_.find(client_id(order.order_id));
      const double left = self == orders_.end() ? 0 : self->second.order.quantity - self->second.filled;
      request_quantity(id, it->second.filled + left, ts);
    }
    return;
  }
  if (std::isfinite(order.stop_loss) || std::isfinite(order.take_profit)) place_or_grow_exits(order, quantity, ts);
  follow_position(order.symbol, order.strategy, ts);
}

// The exits are sized to what the entry has filled: placed at its first
// fill, grown (a replace) with each later one. Stamped with the fill's time,
// so the venue works them from the next bar, as the backtest does.
void BrokerExecutionService::place_or_grow_exits(const OrderEvent& entry, double quantity, Timestamp ts) {
  if (const auto placed = exits_.find(entry.order_id); placed != exits_.end()) {
    for (const OrderId exit : {placed->second.first, placed->second.second}) {
      const auto it = orders_.find(client_id(exit));
      if (exit && it != orders_.end()) request_quantity(it->first, it->second.order.quantity + quantity, ts);
    }
    return;
  }
  const Side side = entry.side == Side::Buy ? Side::Sell : Side::Buy;
  OrderEvent stop{ts, 0, entry.signal_id, entry.strategy, entry.symbol, side, quantity, OrderSpec{}, entry.order_id};
  OrderEvent profit = stop;
  if (std::isfinite(entry.stop_loss)) {
    stop.order_id = next_child_id_++;
    stop.spec.type = OrderType::Stop;
    stop.spec.stop_price = entry.stop_loss;
  }
  if (std::isfinite(entry.take_profit)) {
    profit.order_id = next_child_id_++;
    profit.spec.type = OrderType::Limit;
    profit.spec.limit_price = entry.take_profit;
  }
  exits_[entry.order_id] = {stop.order_id, profit.order_id};
  if (stop.order_id && profit.order_id) {
    peer_of_[stop.order_id] = profit.order_id;
    peer_of_[profit.order_id] = stop.order_id;
  }
  // Published as execution publishes its children: every service sees the
  // order, and this service's own on_order sends it.
  if (stop.order_id) bus_.publish(stop);
  if (profit.order_id) bus_.publish(profit);
}

// After a strategy's own fill: its exits on the symbol shrink to its
// position, and go when the position is closed or reversed.
void BrokerExecutionService::follow_position(SymbolId symbol, StrategyIndex strategy, Timestamp ts) {
  std::vector<OrderId> exits;
  for (const auto& [id, t] : orders_)
    if (t.order.parent_id && !t.adopted && t.order.symbol == symbol && t.order.strategy == strategy)
      exits.push_back(t.order.order_id);
  std::sort(exits.begin(), exits.end());  // arrival order, as the backtest's book walks them
  const double position = portfolio_.strategy_position(strategy, symbol);
  for (const OrderId exit : exits) {
    const std::string id = client_id(exit);
    const auto it = orders_.find(id);  // a cancel's answer may have ended it
    if (it == orders_.end()) continue;
    const Tracked& t = it->second;
    const double protects = t.order.side == Side::Sell ? position : -position;
    if (protects <= kQtyEps)
      request_cancel(id, "position closed", ts);
    else if (t.order.quantity - t.filled > protects)
      request_quantity(id, t.filled + protects, ts);
  }
}

}  // namespace qtrader::live
