// Commission and slippage models, and the volume participation cap.
#include "exec_harness.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {
ExecutionConfig per_share(double rate, double minimum, double maximum) {
  ExecutionConfig ec;
  ec.commission.model = CommissionKind::PerShare;
  ec.commission.rate = rate;
  ec.commission.minimum = minimum;
  ec.commission.maximum = maximum;
  return ec;
}
}  // namespace

TEST_CASE("per share with a minimum and a maximum per order", "[execution][costs]") {
  const CommissionModel m(per_share(0.005, 1.0, 3.0).commission);
  CHECK(m(100, 10) == 1.0);     // 0.50 -> the minimum
  CHECK(m(400, 10) == 2.0);     // 400 * 0.005
  CHECK(m(1000, 10) == 3.0);    // 5.00 -> the maximum
  CHECK(m(-400, 10) == 2.0);    // sells alike
}

TEST_CASE("a per-order minimum is paid once over partial fills", "[execution][costs]") {
  ExecutionConfig ec = per_share(0.005, 1.0, 0.0);
  ec.volume_limit = 0.25;
  Harness h(100000.0, ec);
  const OrderId id = h.submit(1, {.quantity = 300});
  for (int d = 2; d <= 4; ++d) h.publish(bar(d, 10, 10, 10, 10, 400));  // 100 per bar
  const auto fills = h.fills_of(id);
  REQUIRE(fills.size() == 3);
  CHECK(fills[0].quantity == 100);
  CHECK(fills[0].commission == 1.0);  // raw 0.50, the minimum
  CHECK(fills[1].commission == 0.0);  // raw 1.00, still the minimum
  CHECK(fills[2].commission == 0.5);  // raw 1.50 = 300 * 0.005
  CHECK(h.last_update(id)->status == OrderStatus::Filled);
  std::size_t partial = 0;
  for (const auto& u : h.updates) partial += u.order_id == id && u.status == OrderStatus::PartiallyFilled;
  CHECK(partial == 2);
}

TEST_CASE("fixed commission: one amount per order", "[execution][costs]") {
  ExecutionConfig ec;
  ec.commission.model = CommissionKind::Fixed;
  ec.commission.amount = 2.5;
  ec.volume_limit = 0.5;
  Harness h(100000.0, ec);
  const OrderId id = h.submit(1, {.quantity = 100});
  h.publish(bar(2, 10, 10, 10, 10, 120));
  h.publish(bar(3, 10, 10, 10, 10, 120));
  const auto fills = h.fills_of(id);
  REQUIRE(fills.size() == 2);
  CHECK(fills[0].commission == 2.5);
  CHECK(fills[1].commission == 0.0);
  CHECK(h.portfolio.cash() == 100000.0 - 1000.0 - 2.5);
}

TEST_CASE("tiered by monthly volume: the tier of the shares traded before the fill",
          "[execution][costs]") {
  ExecutionConfig ec;
  ec.commission.model = CommissionKind::Tiered;
  ec.commission.tiers = {{1000, 0.01}, {0, 0.005}};
  Harness h(1e6, ec);
  h.submit(1, {.quantity = 800});
  h.publish(bar(2, 10, 10, 10, 10));
  h.submit(2, {.quantity = 500});
  h.publish(bar(3, 10, 10, 10, 10));
  h.submit(3, {.quantity = 100});
  h.publish(bar(4, 10, 10, 10, 10));
  h.submit(40, {.quantity = 100});  // day 41 is in February 1970: a new month
  h.publish(bar(41, 10, 10, 10, 10));
  REQUIRE(h.fills.size() == 4);
  CHECK(h.fills[0].commission == 8.0);   // month volume 0: 0.01
  CHECK(h.fills[1].commission == 5.0);   // 800 < 1000: 0.01
  CHECK(h.fills[2].commission == 0.5);   // 1300: 0.005
  CHECK(h.fills[3].commission == 1.0);   // new month: 0.01
}

TEST_CASE("slippage: fixed bps, fixed amount, volume share, inside the bar and the limit",
          "[execution][costs]") {
  auto fill_price = [](const std::string& model, double param, Side side, double qty,
                       const Bar& b, OrderType type = OrderType::Market, double limit = kNaN) {
    ExecutionConfig ec = Harness::zero_commission();
    REQUIRE(parse_name(model, ec.slippage.model));
    ec.slippage.bps = ec.slippage.amount = ec.slippage.price_impact = param;
    Harness h(1e6, ec);
    h.submit(1, {.side = side, .quantity = qty, .type = type, .limit = limit});
    h.publish(b);
    REQUIRE(h.fills.size() == 1);
    return h.fills[0].price;
  };
  const Bar wide = bar(2, 10, 11, 9, 10, 1000);
  CHECK(fill_price("fixed_bps", 10, Side::Buy, 100, wide) == 10 + 10 * (10 / 10000.0));
  CHECK(fill_price("fixed_bps", 10, Side::Sell, 100, wide) == 10 - 10 * (10 / 10000.0));
  CHECK(fill_price("fixed_amount", 0.05, Side::Buy, 100, wide) == 10.05);
  CHECK(fill_price("fixed_amount", 0.05, Side::Buy, 100, bar(2, 10, 10.02, 9, 10)) == 10.02);
  // 100 of 1000 traded: share 0.1, impact 10 * 0.1 * 0.1^2 = 0.01.
  CHECK(fill_price("volume_share", 0.1, Side::Buy, 100, wide) == 10 + 10 * 0.1 * (0.1 * 0.1));
  CHECK(fill_price("volume_share", 0.1, Side::Sell, 500, wide) == 10 - 10 * 0.1 * (0.5 * 0.5));
  // A limit filled at its limit never slips past it.
  CHECK(fill_price("fixed_amount", 0.05, Side::Buy, 100, bar(2, 10, 11, 9, 10), OrderType::Limit,
                   9.5) == 9.5);
}

TEST_CASE("the volume cap is shared by the orders of a bar and the rest keeps working",
          "[execution][costs]") {
  ExecutionConfig ec = Harness::zero_commission();
  ec.volume_limit = 0.1;
  Harness h(1e6, ec);
  const OrderId a = h.submit(1, {.quantity = 80});
  const OrderId b = h.submit(1, {.quantity = 80});
  h.publish(bar(2, 10, 10, 10, 10, 1000));  // 100 shares for both
  CHECK(h.fills_of(a).size() == 1);
  CHECK(h.fills_of(a)[0].quantity == 80);
  REQUIRE(h.fills_of(b).size() == 1);
  CHECK(h.fills_of(b)[0].quantity == 20);
  CHECK(h.last_update(b)->status == OrderStatus::PartiallyFilled);
  CHECK(h.last_update(b)->remaining_quantity == 60);
  h.publish(bar(3, 11, 11, 11, 11, 1000));  // the rest at the next open
  REQUIRE(h.fills_of(b).size() == 2);
  CHECK(h.fills_of(b)[1].quantity == 60);
  CHECK(h.fills_of(b)[1].price == 11.0);
  CHECK(h.portfolio.position(0) == 160);
}
