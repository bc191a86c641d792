#include <catch2/catch.hpp>

#include "execution/execution_service.hpp"
#include "portfolio/portfolio.hpp"

using namespace qtrader;

namespace {
Bar bar(Timestamp day, double o, double h, double l, double c) {
  return Bar{day * kNanosPerDay, 0, o, h, l, c, 1000, kNaN};
}
OrderEvent order(Timestamp day, Side side, double qty, OrderId id = 1) {
  return OrderEvent{day * kNanosPerDay, id, 1, 0, 0, side, qty, OrderSpec{}};
}
struct Recorder {
  std::vector<FillEvent> fills;
  std::vector<OrderRejectedEvent> rejections;
  explicit Recorder(EventBus& bus) {
    bus.subscribe<FillEvent>([this](const FillEvent& e) { fills.push_back(e); });
    bus.subscribe<OrderRejectedEvent>([this](const OrderRejectedEvent& e) { rejections.push_back(e); });
  }
};
}  // namespace

TEST_CASE("a market order fills at the next bar's open with percentage commission",
          "[execution]") {
  EventBus bus;
  Portfolio portfolio(bus, 100000.0, 1);
  ExecutionService exec(bus, ExecutionConfig{}, portfolio, 1);
  Recorder rec(bus);

  const Bar day1 = bar(1, 10, 11, 9, 10.5);
  bus.publish(BarEvent{day1});
  bus.publish(order(1, Side::Buy, 100));
  CHECK(rec.fills.empty());
  CHECK(exec.working_orders() == 1);

  const Bar day2 = bar(2, 2.37037, 2.5, 2.3, 2.4);
  bus.publish(BarEvent{day2});
  REQUIRE(rec.fills.size() == 1);
  CHECK(rec.fills[0].price == 2.37037);
  CHECK(rec.fills[0].ts == 2 * kNanosPerDay);
  CHECK(rec.fills[0].commission == 0.237037);  // backtrader: |100| * 0.001 * 2.37037
  CHECK(exec.working_orders() == 0);
}

TEST_CASE("an order never fills on the bar it was created on", "[execution]") {
  EventBus bus;
  Portfolio portfolio(bus, 100000.0, 1);
  ExecutionService exec(bus, ExecutionConfig{}, portfolio, 1);
  Recorder rec(bus);
  bus.publish(order(3, Side::Buy, 1));
  const Bar same = bar(3, 10, 10, 10, 10);
  bus.publish(BarEvent{same});
  CHECK(rec.fills.empty());
  const Bar next = bar(4, 11, 11, 11, 11);
  bus.publish(BarEvent{next});
  CHECK(rec.fills.size() == 1);
}

TEST_CASE("a buy the cash cannot pay for at the fill price is rejected", "[execution]") {
  EventBus bus;
  Portfolio portfolio(bus, 1000.0, 1);
  ExecutionService exec(bus, ExecutionConfig{}, portfolio, 1);
  Recorder rec(bus);
  bus.publish(order(1, Side::Buy, 100));
  const Bar gap = bar(2, 10.0, 10.0, 10.0, 10.0);  // 1000 + 1.00 commission > 1000 cash
  bus.publish(BarEvent{gap});
  CHECK(rec.fills.empty());
  REQUIRE(rec.rejections.size() == 1);
  CHECK_THAT(rec.rejections[0].reason, Catch::Contains("insufficient cash"));
  CHECK(portfolio.cash() == 1000.0);
}
