#include "results/trade_attribution.hpp"

namespace qtrader {

TradeAttribution::TradeAttribution(EventBus& bus) {
  bus.subscribe<SignalEvent>([this](const SignalEvent& e) {
    if (!e.tag.empty()) tags_.emplace(e.signal_id, e.tag);
  });
  bus.subscribe<OrderEvent>([this](const OrderEvent& e) {
    orders_[e.order_id] = {e.signal_id, e.spec.type, e.parent_id != 0, e.end_of_data, e.origin};
  });
}

std::uint64_t TradeAttribution::signal_of(OrderId order) const {
  const auto it = orders_.find(order);
  return it == orders_.end() ? 0 : it->second.signal_id;
}

std::string_view TradeAttribution::tag_of(OrderId order) const {
  // A roll's legs carry no signal: their tag says what they are.
  if (const auto o = orders_.find(order); o != orders_.end() && o->second.origin == OrderEvent::Origin::Roll)
    return "roll";
  const auto it = tags_.find(signal_of(order));
  return it == tags_.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view TradeAttribution::exit_reason(OrderId exit_order) const {
  const auto it = orders_.find(exit_order);
  if (it == orders_.end()) return "unknown";
  const OrderFacts& o = it->second;
  if (o.end_of_data) return "end_of_data";
  if (o.origin == OrderEvent::Origin::Roll) return "roll";
  if (o.origin == OrderEvent::Origin::MarginCall) return "margin_call";
  switch (o.type) {
    case OrderType::TrailingStop:
      return "trailing_stop";
    case OrderType::Stop:
    case OrderType::StopLimit:
      return o.bracket_exit ? "stop_loss" : "stop";
    case OrderType::Limit:
      return o.bracket_exit ? "take_profit" : "signal";
    default:
      return "signal";
  }
}

}  // namespace qtrader
