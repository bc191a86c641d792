// Time in force and cancellation; each outcome is an OrderUpdateEvent with a reason.
#include "exec_harness.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("every accepted order is announced", "[execution][tif]") {
  Harness h;
  const OrderId id = h.submit(1, {});
  REQUIRE(h.updates.size() == 1);
  CHECK(h.updates[0].order_id == id);
  CHECK(h.updates[0].status == OrderStatus::Accepted);
  CHECK(h.updates[0].remaining_quantity == 100);
}

TEST_CASE("GTC works until it fills", "[execution][tif]") {
  Harness h;
  const OrderId id = h.submit(1, {.type = OrderType::Limit, .limit = 8});
  for (int d = 2; d <= 5; ++d) h.publish(bar(d, 10, 11, 9, 10));
  CHECK(h.exec.find(id));
  h.publish(bar(6, 10, 11, 7.5, 10));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 8.0);
  CHECK(h.last_update(id)->status == OrderStatus::Filled);
}

TEST_CASE("DAY on daily bars: one session, then expired", "[execution][tif]") {
  Harness h;
  const OrderId id = h.submit(1, {.type = OrderType::Limit, .limit = 9, .tif = TimeInForce::Day});
  h.publish(bar(2, 10, 11, 9.5, 10));
  CHECK_FALSE(h.exec.find(id));
  REQUIRE(h.last_update(id));
  CHECK(h.last_update(id)->status == OrderStatus::Expired);
  CHECK(h.last_update(id)->reason == "DAY order: session ended");
  CHECK(h.last_update(id)->ts == day(2));
  h.publish(bar(3, 10, 11, 8, 10));
  CHECK(h.fills.empty());
}

TEST_CASE("DAY on intraday bars: until the calendar day of its first bar ends", "[execution][tif]") {
  Harness h;
  const Timestamp hour = 3600 * kNanosPerSecond;
  auto intraday = [&](Timestamp ts, double low) { return Bar{ts, 0, 10, 11, low, 10, 1e6, kNaN}; };
  OrderEvent o{day(2) + 9 * hour, 1, 1, 0, 0, Side::Buy, 100, OrderSpec{}};
  o.spec.type = OrderType::Limit;
  o.spec.limit_price = 9;
  o.spec.tif = TimeInForce::Day;
  h.bus.publish(o);
  h.publish(intraday(day(2) + 10 * hour, 9.5));
  h.publish(intraday(day(2) + 11 * hour, 9.2));
  CHECK(h.exec.find(1));
  h.publish(intraday(day(3) + 10 * hour, 8.0));  // would fill, but the day is over
  CHECK(h.fills.empty());
  CHECK(h.last_update(1)->status == OrderStatus::Expired);
}

TEST_CASE("GTD works through its expiry date, then expires", "[execution][tif]") {
  Harness h;
  const OrderId id = h.submit(
      1, {.type = OrderType::Limit, .limit = 9, .tif = TimeInForce::GTD, .expiry = day(3)});
  h.publish(bar(2, 10, 11, 9.5, 10));
  h.publish(bar(3, 10, 11, 9.5, 10));
  CHECK(h.exec.find(id));
  h.publish(bar(4, 10, 11, 8, 10));
  CHECK(h.fills.empty());
  CHECK(h.last_update(id)->status == OrderStatus::Expired);
  CHECK(h.last_update(id)->reason == "GTD expiry reached");
  // Filled on its expiry date when the price is reached.
  const OrderId b = h.submit(
      4, {.type = OrderType::Limit, .limit = 9, .tif = TimeInForce::GTD, .expiry = day(5)});
  h.publish(bar(5, 10, 11, 8.5, 10));
  REQUIRE(h.fills_of(b).size() == 1);
  CHECK(h.fills_of(b)[0].price == 9.0);
}

TEST_CASE("IOC fills what it can on its first bar and cancels the rest", "[execution][tif]") {
  ExecutionConfig ec = Harness::zero_commission();
  ec.volume_limit = 0.5;
  Harness h(100000.0, ec);
  const OrderId id = h.submit(1, {.quantity = 100, .tif = TimeInForce::IOC});
  h.publish(bar(2, 10, 11, 9, 10, 120));  // 50% of 120 = 60
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].quantity == 60);
  CHECK(h.last_update(id)->status == OrderStatus::Cancelled);
  CHECK(h.last_update(id)->filled_quantity == 60);
  CHECK(h.last_update(id)->remaining_quantity == 40);
  CHECK(h.last_update(id)->reason == "IOC: unfilled remainder cancelled");

  const OrderId lim = h.submit(2, {.type = OrderType::Limit, .limit = 5, .tif = TimeInForce::IOC});
  h.publish(bar(3, 10, 11, 9, 10));
  CHECK(h.fills.size() == 1);
  CHECK(h.last_update(lim)->status == OrderStatus::Cancelled);
  CHECK(h.last_update(lim)->reason == "not marketable on its first bar");
}

TEST_CASE("FOK fills whole on its first bar or not at all", "[execution][tif]") {
  ExecutionConfig ec = Harness::zero_commission();
  ec.volume_limit = 0.5;
  Harness h(100000.0, ec);
  const OrderId part = h.submit(1, {.quantity = 100, .tif = TimeInForce::FOK});
  h.publish(bar(2, 10, 11, 9, 10, 120));
  CHECK(h.fills.empty());
  CHECK(h.last_update(part)->status == OrderStatus::Cancelled);
  CHECK(h.last_update(part)->reason == "FOK: only 60 of 100 available within the volume limit");
  const OrderId whole = h.submit(2, {.quantity = 100, .tif = TimeInForce::FOK});
  h.publish(bar(3, 10, 11, 9, 10, 1000));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].quantity == 100);
  CHECK(h.last_update(whole)->status == OrderStatus::Filled);
}

TEST_CASE("a strategy cancels its own working order, not another's", "[execution][tif]") {
  Harness h;
  const OrderId id = h.submit(1, {.type = OrderType::Limit, .limit = 9, .strategy = 1});
  h.bus.publish(CancelRequestEvent{day(1), id, 0});  // strategy 0 does not own it
  REQUIRE(h.rejections.size() == 1);
  CHECK(h.rejections[0].order_id == id);
  CHECK(h.rejections[0].reason ==
        "cancel refused: order 1 is not a working order of this strategy");
  CHECK(h.exec.find(id));
  h.bus.publish(CancelRequestEvent{day(1), id, 1});
  CHECK_FALSE(h.exec.find(id));
  CHECK(h.last_update(id)->status == OrderStatus::Cancelled);
  CHECK(h.last_update(id)->reason == "cancelled by strategy");
  h.publish(bar(2, 10, 11, 8, 10));
  CHECK(h.fills.empty());
}
