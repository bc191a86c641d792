// ctx:modify_order in the simulated execution (docs/execution.md "Modifying
// an order"): the new figures take from the next bar, the order goes to the
// back of the arrival order, and a change that cannot apply is refused.
#include "exec_harness.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

ModifyOrderEvent change(int d, OrderId id, double quantity, double limit = kNaN, double stop = kNaN) {
  return ModifyOrderEvent{day(d), id, 0, quantity, limit, stop};
}

}  // namespace

TEST_CASE("a modified limit buy takes its new size and price and fills on a later bar", "[execution][modify]") {
  Harness h;
  const OrderId id = h.submit(1, {.type = OrderType::Limit, .limit = 9});
  h.publish(bar(2, 10, 11, 9.5, 10));  // 9 not reached
  h.bus.publish(change(2, id, 150, 9.8));
  const OrderUpdateEvent* u = h.last_update(id);
  REQUIRE(u);
  CHECK(u->status == OrderStatus::Accepted);
  CHECK(u->reason == "replaced");
  CHECK(u->quantity == 150);
  CHECK(u->remaining_quantity == 150);
  CHECK(h.exec.find(id)->order.spec.limit_price == 9.8);
  h.publish(bar(3, 10, 11, 9.6, 10));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].order_id == id);
  CHECK(h.fills[0].quantity == 150);
  CHECK(h.fills[0].price == 9.8);
}

TEST_CASE("a modified order goes behind the orders already waiting", "[execution][modify]") {
  ExecutionConfig ec = Harness::zero_commission();
  ec.volume_limit = 0.1;  // 100 shares of a 1000-share bar, for all orders together
  Harness h(100000.0, ec);
  const OrderId first = h.submit(1, {.type = OrderType::Limit, .limit = 9});
  const OrderId second = h.submit(1, {.type = OrderType::Limit, .limit = 9});
  h.bus.publish(change(1, first, kNaN, 9.5));
  h.publish(bar(2, 10, 11, 8, 10, 1000));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].order_id == second);  // the modified one waits its turn
  CHECK(h.fills[0].price == 9.0);
  h.publish(bar(3, 10, 11, 8, 10, 1000));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].order_id == first);
  CHECK(h.fills[1].price == 9.5);
}

TEST_CASE("a modify that cannot apply is refused and the order goes on", "[execution][modify]") {
  ExecutionConfig ec = Harness::zero_commission();
  ec.volume_limit = 0.04;  // 40 shares a bar
  Harness h(100000.0, ec);
  const OrderId id = h.submit(1, {.quantity = 100});
  h.publish(bar(2, 10, 11, 9, 10, 1000));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].quantity == 40);
  h.bus.publish(change(2, 99, 10));
  h.bus.publish(change(2, id, kNaN, 10.5));
  h.bus.publish(change(2, id, kNaN, kNaN, 9.5));
  h.bus.publish(change(2, id, 30));
  REQUIRE(h.rejections.size() == 4);
  CHECK(h.rejections[0].reason == "modify refused: order 99 is not a working order of this strategy");
  CHECK(h.rejections[1].reason == "modify refused: a market order has no limit price");
  CHECK(h.rejections[2].reason == "modify refused: a market order has no stop price");
  CHECK(h.rejections[3].reason == "modify refused: quantity 30 is not more than the 40 already filled");
  CHECK(h.rejections[3].order_id == id);
  // A partly filled order may shrink to more than its fill: the rest is what remains.
  h.bus.publish(change(2, id, 60));
  CHECK(h.last_update(id)->status == OrderStatus::PartiallyFilled);
  CHECK(h.last_update(id)->reason == "replaced");
  CHECK(h.last_update(id)->remaining_quantity == 20);
  h.publish(bar(3, 10, 11, 9, 10, 1000));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].quantity == 20);
  CHECK(h.last_update(id)->status == OrderStatus::Filled);
  // Filled: no longer working.
  h.bus.publish(change(3, id, 80));
  CHECK(h.rejections.back().reason == "modify refused: order 1 is not a working order of this strategy");
}
