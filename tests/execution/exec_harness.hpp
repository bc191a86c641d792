// Drives ExecutionService + Portfolio directly on an EventBus, with hand-made
// bars and orders, and records what they publish.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "execution/execution_service.hpp"
#include "portfolio/portfolio.hpp"

namespace qtrader::test {

inline Timestamp day(int d) { return Timestamp{d} * kNanosPerDay; }

inline Bar bar(int d, double o, double h, double l, double c, double volume = 1e6,
               SymbolId s = 0) {
  return Bar{day(d), s, o, h, l, c, volume, kNaN};
}

struct OrderArgs {
  Side side = Side::Buy;
  double quantity = 100;
  OrderType type = OrderType::Market;
  double limit = kNaN, stop = kNaN;
  TimeInForce tif = TimeInForce::GTC;
  Timestamp expiry = 0;
  double stop_loss = kNaN, take_profit = kNaN;
  double trail_amount = kNaN, trail_percent = kNaN;
  StrategyIndex strategy = 0;
  SymbolId symbol = 0;
};

struct Harness {
  EventBus bus;
  Portfolio portfolio;
  ExecutionService exec;
  std::vector<FillEvent> fills;
  std::vector<OrderRejectedEvent> rejections;
  std::vector<OrderUpdateEvent> updates;
  std::vector<OrderEvent> orders;
  OrderId next_id = 1;

  explicit Harness(double cash = 100000.0, ExecutionConfig ec = zero_commission(),
                   PortfolioConfig pc = {}, std::size_t symbols = 1,
                   const CorporateActions* actions = nullptr, std::vector<ExchangeClock> clocks = {})
      : portfolio(bus, cash, symbols, pc, actions),
        exec(bus, ec, pc, portfolio, symbols, actions, std::move(clocks)) {
    bus.subscribe<FillEvent>([this](const FillEvent& e) { fills.push_back(e); });
    bus.subscribe<OrderRejectedEvent>([this](const OrderRejectedEvent& e) { rejections.push_back(e); });
    bus.subscribe<OrderUpdateEvent>([this](const OrderUpdateEvent& e) { updates.push_back(e); });
    bus.subscribe<OrderEvent>([this](const OrderEvent& e) { orders.push_back(e); });
  }

  static ExecutionConfig zero_commission() {
    ExecutionConfig ec;
    ec.commission.rate = 0.0;
    return ec;
  }

  void publish(const Bar& b) { bus.publish(BarEvent{b}); }
  // An order created at the close of day `d` (as the risk service would).
  OrderId submit(int d, const OrderArgs& a) { return submit_at(day(d), a); }
  OrderId submit_at(Timestamp ts, const OrderArgs& a) {
    OrderEvent o{ts, next_id, next_id, a.strategy, a.symbol, a.side, a.quantity, OrderSpec{}};
    o.spec.type = a.type;
    o.spec.limit_price = a.limit;
    o.spec.stop_price = a.stop;
    o.spec.tif = a.tif;
    o.spec.expiry = a.expiry;
    o.spec.trail_amount = a.trail_amount;
    o.spec.trail_percent = a.trail_percent;
    o.stop_loss = a.stop_loss;
    o.take_profit = a.take_profit;
    bus.publish(o);
    return next_id++;
  }
  // The last update of an order, or nullptr.
  const OrderUpdateEvent* last_update(OrderId id) const {
    for (auto it = updates.rbegin(); it != updates.rend(); ++it)
      if (it->order_id == id) return &*it;
    return nullptr;
  }
  std::vector<FillEvent> fills_of(OrderId id) const {
    std::vector<FillEvent> out;
    for (const auto& f : fills)
      if (f.order_id == id) out.push_back(f);
    return out;
  }
};

}  // namespace qtrader::test
