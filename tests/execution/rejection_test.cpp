// Bad input is rejected at acceptance with a reason (OrderRejectedEvent carries
// the order id; the strategy service routes it to on_order, the store keeps it).
#include <cmath>

#include "exec_harness.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {
std::string rejected(Harness& h, const OrderArgs& a, int d = 1) {
  const std::size_t before = h.rejections.size();
  const OrderId id = h.submit(d, a);
  if (h.rejections.size() == before) return "(accepted)";
  CHECK(h.rejections.back().order_id == id);
  CHECK_FALSE(h.exec.find(id));
  return h.rejections.back().reason;
}
constexpr double kInf = INFINITY;
}  // namespace

TEST_CASE("quantities must be finite, positive and whole unless fractions are on",
          "[execution][reject]") {
  Harness h;
  CHECK(rejected(h, {.quantity = kNaN}) == "invalid quantity nan: must be a finite number > 0");
  CHECK(rejected(h, {.quantity = kInf}) == "invalid quantity inf: must be a finite number > 0");
  CHECK(rejected(h, {.quantity = 0}) == "invalid quantity 0: must be a finite number > 0");
  CHECK(rejected(h, {.quantity = -5}) == "invalid quantity -5: must be a finite number > 0");
  CHECK(rejected(h, {.quantity = 2.5}) ==
        "fractional quantity 2.5 while portfolio.fractional_quantities is off");
  CHECK(h.exec.working_orders() == 0);

  PortfolioConfig pc;
  pc.fractional_quantities = true;
  Harness f(100000.0, Harness::zero_commission(), pc);
  CHECK(rejected(f, {.quantity = 2.5}) == "(accepted)");
  f.publish(bar(2, 10, 10, 10, 10));
  CHECK(f.portfolio.position(0) == 2.5);
}

TEST_CASE("prices must be finite and positive where the type needs them", "[execution][reject]") {
  Harness h;
  CHECK(rejected(h, {.type = OrderType::Limit}) ==
        "a limit order needs a finite limit_price > 0, got nan");
  CHECK(rejected(h, {.type = OrderType::Limit, .limit = -1}) ==
        "a limit order needs a finite limit_price > 0, got -1");
  CHECK(rejected(h, {.type = OrderType::Stop, .stop = kInf}) ==
        "a stop order needs a finite stop_price > 0, got inf");
  CHECK(rejected(h, {.type = OrderType::StopLimit, .limit = 0, .stop = 10}) ==
        "a stop_limit order needs a finite limit_price > 0, got 0");
  CHECK(rejected(h, {.type = OrderType::TrailingStop}) ==
        "a trailing_stop order needs exactly one of trail_amount and trail_percent");
  CHECK(rejected(h, {.side = Side::Sell, .type = OrderType::TrailingStop, .trail_amount = 1,
                     .trail_percent = 5}) ==
        "a trailing_stop order needs exactly one of trail_amount and trail_percent");
  CHECK(rejected(h, {.side = Side::Sell, .type = OrderType::TrailingStop, .trail_percent = 100}) ==
        "a trailing_stop order needs 0 < trail_percent < 100, got 100");
  CHECK(rejected(h, {.stop_loss = -1}) ==
        "invalid stop_loss -1: must be a finite price > 0 and <= 1e+12");
  CHECK(rejected(h, {.take_profit = kNaN}) == "(accepted)");  // absent, not invalid
}

TEST_CASE("a field of another order type is refused, in the words a signal gets", "[execution][reject]") {
  Harness h;
  h.publish(bar(1, 10, 10, 10, 10));
  CHECK(rejected(h, {.limit = 10}) == "limit_price is for limit and stop_limit orders, not market");
  CHECK(rejected(h, {.type = OrderType::Limit, .limit = 10, .stop = 9}) ==
        "stop_price is for stop, stop_limit and trailing_stop orders, not limit");
  CHECK(rejected(h, {.trail_amount = 1}) == "trail_amount and trail_percent are for trailing_stop orders, not market");
  CHECK(rejected(h, {.expiry = day(5)}) == "expiry is for gtd orders, not gtc");
  // The signal's check is this same function, with the signal's bar as the order's time.
  OrderSpec spec;
  spec.type = OrderType::StopLimit;
  spec.stop_price = 10;
  CHECK(validate_order_spec(spec, day(1)) == "a stop_limit order needs a finite limit_price > 0, got nan");
  spec.limit_price = 10.5;
  CHECK(validate_order_spec(spec, day(1)).empty());
  spec.tif = TimeInForce::GTD;
  spec.expiry = day(1);
  CHECK(validate_order_spec(spec, day(1)) == "a gtd order needs an expiry after the order's time");
}


TEST_CASE("orders that contradict themselves are rejected but marketable limits are not",
          "[execution][reject]") {
  Harness h;
  h.publish(bar(1, 10, 10, 10, 10));
  CHECK(rejected(h, {.type = OrderType::StopLimit, .limit = 10.4, .stop = 10.5}) ==
        "buy stop-limit with limit 10.4 on the wrong side of its stop 10.5");
  CHECK(rejected(h, {.side = Side::Sell, .type = OrderType::StopLimit, .limit = 9.6, .stop = 9.5}) ==
        "sell stop-limit with limit 9.6 on the wrong side of its stop 9.5");
  CHECK(rejected(h, {.stop_loss = 11, .take_profit = 10.5}) ==
        "buy bracket with stop_loss 11 not below its take_profit 10.5");
  CHECK(rejected(h, {.side = Side::Sell, .stop_loss = 9, .take_profit = 9.5}) ==
        "sell bracket with stop_loss 9 not above its take_profit 9.5");
  CHECK(rejected(h, {.tif = TimeInForce::GTD, .expiry = day(1)}) ==
        "a gtd order needs an expiry after the order's time");
  CHECK(rejected(h, {.type = OrderType::Limit, .limit = 11}) == "(accepted)");  // marketable
}

TEST_CASE("a buy the cash cannot pay for is rejected and cash never goes negative",
          "[execution][reject]") {
  ExecutionConfig ec;  // 0.1% commission
  Harness h(1000.0, ec);
  h.publish(bar(1, 10, 10, 10, 10));
  // 100 * 10 + 1.00 commission > 1000 at the last close.
  CHECK(rejected(h, {.quantity = 100}) == "insufficient cash: need 1001.00 at 10, have 1000.00");
  CHECK(rejected(h, {.quantity = 99}) == "(accepted)");
  // Checked again at the fill price: the open gapped up.
  h.publish(bar(2, 10.2, 10.2, 10.2, 10.2));
  REQUIRE(h.rejections.size() == 2);
  CHECK(h.rejections.back().reason == "insufficient cash at fill: need 1010.81, have 1000.00");
  CHECK(h.fills.empty());
  CHECK(h.portfolio.cash() == 1000.0);
}

TEST_CASE("shorts are refused when shorting is off", "[execution][reject]") {
  PortfolioConfig pc;
  pc.allow_short = false;
  Harness h(100000.0, Harness::zero_commission(), pc);
  h.publish(bar(1, 10, 10, 10, 10));
  CHECK(rejected(h, {.side = Side::Sell, .quantity = 10}) ==
        "short selling is disabled (portfolio.allow_short: false): position 0, working sells 0, "
        "sell 10");
  h.submit(1, {.quantity = 100});
  h.publish(bar(2, 10, 10, 10, 10));
  CHECK(rejected(h, {.side = Side::Sell, .quantity = 100}, 2) == "(accepted)");
  CHECK(rejected(h, {.side = Side::Sell, .quantity = 1}, 2) ==
        "short selling is disabled (portfolio.allow_short: false): position 100, working sells "
        "100, sell 1");
  h.publish(bar(3, 10, 10, 10, 10));
  CHECK(h.portfolio.position(0) == 0);
}

TEST_CASE("the gross leverage cap is enforced at acceptance and above 1 cash may go negative",
          "[execution][reject]") {
  PortfolioConfig pc;
  pc.max_gross_leverage = 1.5;
  Harness h(100000.0, Harness::zero_commission(), pc, 2);
  h.publish(bar(1, 10, 10, 10, 10, 1e9, 0));
  h.publish(bar(1, 20, 20, 20, 20, 1e9, 1));
  CHECK(rejected(h, {.quantity = 15001}) ==
        "gross leverage 1.5001 would exceed portfolio.max_gross_leverage 1.5");
  CHECK(rejected(h, {.quantity = 14000}) == "(accepted)");
  h.publish(bar(2, 10, 10, 10, 10, 1e9, 0));
  CHECK(h.portfolio.cash() == 100000.0 - 140000.0);  // borrowed within the cap
  // Gross is 140000 of 150000: a short of 600 in symbol 1 (12000) is too much...
  CHECK(rejected(h, {.side = Side::Sell, .quantity = 600, .symbol = 1}, 2) ==
        "gross leverage 1.5200 would exceed portfolio.max_gross_leverage 1.5");
  // ... but selling what is held reduces exposure and is always accepted.
  CHECK(rejected(h, {.side = Side::Sell, .quantity = 14000}, 2) == "(accepted)");
}

// A risk policy that sizes 1e308 shares, or a price near DBL_MAX, must not
// reach the portfolio: cash would become inf and equity NaN.
TEST_CASE("quantities and prices beyond the engine's limits are refused, not overflowed",
          "[execution][reject][hardening]") {
  Harness h;
  CHECK(rejected(h, {.quantity = 1e308}) ==
        "invalid quantity 1e+308: above the largest accepted quantity, 1e+15");
  CHECK(rejected(h, {.quantity = 1e15}) == "(accepted)");
  CHECK(rejected(h, {.type = OrderType::Limit, .limit = 1e300}) ==
        "a limit order's limit_price 1e+300 is above the largest accepted price, 1e+12");
  CHECK(rejected(h, {.take_profit = 1e13}) ==
        "invalid take_profit 10000000000000: must be a finite price > 0 and <= 1e+12");
  CHECK(rejected(h, {.side = Side::Sell, .type = OrderType::TrailingStop, .trail_amount = 1e200}) ==
        "a trailing_stop order's trail_amount 1e+200 is above the largest accepted price, 1e+12");
}
