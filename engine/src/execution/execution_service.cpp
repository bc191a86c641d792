#include "execution/execution_service.hpp"

#include <fmt/format.h>

namespace qtrader {

ExecutionService::ExecutionService(EventBus& bus, const ExecutionConfig& config,
                                   const PortfolioView& portfolio, std::size_t symbol_count)
    : bus_(bus), commission_(config.commission), portfolio_(portfolio), working_(symbol_count) {
  bus_.subscribe<OrderEvent>([this](const OrderEvent& e) { on_order(e); });
  bus_.subscribe<BarEvent>([this](const BarEvent& e) { on_bar(e); });
}

void ExecutionService::on_order(const OrderEvent& order) {
  working_[order.symbol].push_back(order);
  ++working_count_;
}

void ExecutionService::on_bar(const BarEvent& e) {
  auto& queue = working_[e.bar.symbol];
  if (queue.empty()) return;
  // Orders are taken out before any fill is published, so a handler that
  // reacts to a fill by creating an order cannot see it fill on this bar.
  filling_.swap(queue);
  working_count_ -= filling_.size();
  for (const OrderEvent& order : filling_) {
    if (order.ts >= e.bar.ts) {  // never fill on the bar the order was created on
      queue.push_back(order);
      ++working_count_;
      continue;
    }
    const double price = e.bar.open;
    const double fee = commission_(order.quantity, price);
    if (order.side == Side::Buy) {
      const double cost = order.quantity * price + fee;
      if (cost > portfolio_.cash()) {
        bus_.publish(OrderRejectedEvent{
            e.bar.ts, order.order_id, order.signal_id, order.strategy, order.symbol,
            fmt::format("insufficient cash at fill: need {:.2f}, have {:.2f}", cost, portfolio_.cash())});
        continue;
      }
    }
    bus_.publish(FillEvent{e.bar.ts, order.order_id, order.strategy, order.symbol, order.side,
                           order.quantity, price, fee});
  }
  filling_.clear();
}

}  // namespace qtrader
