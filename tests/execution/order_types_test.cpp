// Every order type on hand-made bars; fill prices and P&L computed by hand.
#include "exec_harness.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("market: fills at the next bar's open, P&L marked at the close", "[execution][types]") {
  Harness h;
  h.publish(bar(1, 9, 10, 8, 9.5));
  const OrderId id = h.submit(1, {});
  h.publish(bar(2, 10, 11, 9, 10.5));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 10.0);
  CHECK(h.fills[0].ts == day(2));
  CHECK(h.portfolio.cash() == 100000.0 - 1000.0);
  CHECK(h.portfolio.unrealized_pnl() == 50.0);  // 100 * (10.5 - 10)
  REQUIRE(h.last_update(id));
  CHECK(h.last_update(id)->status == OrderStatus::Filled);
}

TEST_CASE("market_on_close: the close of the next bar", "[execution][types]") {
  Harness h;
  h.submit(1, {.type = OrderType::MarketOnClose});
  h.publish(bar(2, 10, 11, 9, 10.5));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 10.5);
}

TEST_CASE("same_bar_close: a market order takes its own bar's close", "[execution][types]") {
  ExecutionConfig ec = Harness::zero_commission();
  ec.fill_policy = FillPolicy::SameBarClose;
  Harness h(100000.0, ec);
  h.publish(bar(1, 10, 11, 9, 10.5));
  h.submit(1, {});
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 10.5);
  CHECK(h.fills[0].ts == day(1));
  // A limit order still waits for the next bar.
  h.submit(1, {.side = Side::Sell, .type = OrderType::Limit, .limit = 10.8});
  CHECK(h.fills.size() == 1);
  h.publish(bar(2, 10.6, 11, 10, 10.7));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].price == 10.8);
}

TEST_CASE("limit buy: the limit when the low reaches it, the open on a gap below", "[execution][types]") {
  Harness h;
  h.submit(1, {.type = OrderType::Limit, .limit = 9.5});
  h.publish(bar(2, 10, 11, 9.6, 10));  // low 9.6 > 9.5: keeps working
  CHECK(h.fills.empty());
  CHECK(h.exec.working_orders() == 1);
  h.publish(bar(3, 10, 11, 9, 10.5));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 9.5);

  h.submit(3, {.type = OrderType::Limit, .limit = 9.5});
  h.publish(bar(4, 9.2, 9.8, 9.0, 9.6));  // opens through the limit: the better open
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].price == 9.2);
  // A marketable limit (above the market) is accepted and fills at the open.
  h.submit(4, {.type = OrderType::Limit, .limit = 50});
  h.publish(bar(5, 9.7, 9.8, 9.6, 9.7));
  REQUIRE(h.fills.size() == 3);
  CHECK(h.fills[2].price == 9.7);
}

TEST_CASE("limit sell: the limit when the high reaches it, the open on a gap above", "[execution][types]") {
  Harness h;
  h.submit(1, {.side = Side::Sell, .type = OrderType::Limit, .limit = 11.5});
  h.publish(bar(2, 10, 12, 9, 10.5));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 11.5);
  h.submit(2, {.side = Side::Sell, .type = OrderType::Limit, .limit = 11.5});
  h.publish(bar(3, 12, 12.5, 11.8, 12));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].price == 12.0);
}

TEST_CASE("stop: the stop price when reached inside the bar, the open on a gap", "[execution][types]") {
  Harness h;
  h.submit(1, {.type = OrderType::Stop, .stop = 10.8});
  h.publish(bar(2, 10, 10.7, 9, 10.5));  // high 10.7 < 10.8
  CHECK(h.fills.empty());
  h.publish(bar(3, 10, 11, 9, 10.5));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 10.8);
  h.submit(3, {.type = OrderType::Stop, .stop = 10.8});
  h.publish(bar(4, 11, 11.2, 10.9, 11.1));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].price == 11.0);

  h.submit(4, {.side = Side::Sell, .type = OrderType::Stop, .stop = 9.5});
  h.publish(bar(5, 10, 11, 9, 10.5));
  REQUIRE(h.fills.size() == 3);
  CHECK(h.fills[2].price == 9.5);
  h.submit(5, {.side = Side::Sell, .type = OrderType::Stop, .stop = 9.5});
  h.publish(bar(6, 9.2, 9.4, 9.0, 9.3));
  REQUIRE(h.fills.size() == 4);
  CHECK(h.fills[3].price == 9.2);
  // Bought 100 @ 10.8 and 100 @ 11.0, sold 100 @ 9.5 and 100 @ 9.2 (FIFO).
  REQUIRE(h.portfolio.closed_trades().size() == 2);
  CHECK(h.portfolio.closed_trades()[0].gross_pnl == Approx(100 * (9.5 - 10.8)).epsilon(1e-12));
  CHECK(h.portfolio.closed_trades()[1].gross_pnl == Approx(100 * (9.2 - 11.0)).epsilon(1e-12));
  CHECK(h.portfolio.cash() == Approx(100000.0 - 1080 - 1100 + 950 + 920).epsilon(1e-15));
}

TEST_CASE("stop-limit: triggered inside the bar fills at the stop, on a gap it is a limit",
          "[execution][types]") {
  Harness h;
  h.submit(1, {.type = OrderType::StopLimit, .limit = 10.7, .stop = 10.5});
  h.publish(bar(2, 10, 11, 9, 10.5));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 10.5);

  // Gap above the stop: works as a limit from the open; the low reaches 10.7.
  h.submit(2, {.type = OrderType::StopLimit, .limit = 10.7, .stop = 10.5});
  h.publish(bar(3, 10.8, 11, 10.6, 10.9));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].price == 10.7);

  // Gap above the limit too: triggered, unfilled; the next bar fills it as a
  // limit although it never trades at the stop again.
  const OrderId id = h.submit(3, {.type = OrderType::StopLimit, .limit = 10.7, .stop = 10.5});
  h.publish(bar(4, 11, 11.5, 10.9, 11.2));
  CHECK(h.fills.size() == 2);
  REQUIRE(h.exec.find(id));
  CHECK(h.exec.find(id)->triggered);
  h.publish(bar(5, 10.8, 10.9, 10.6, 10.6));
  REQUIRE(h.fills.size() == 3);
  CHECK(h.fills[2].price == 10.7);
}

TEST_CASE("trailing stop by amount follows the close and fills at its level", "[execution][types]") {
  Harness h;
  h.publish(bar(1, 10, 10, 10, 10));
  h.submit(1, {.quantity = 100});  // long 100 at day 2's open
  const OrderId id = h.submit(1, {.side = Side::Sell, .type = OrderType::TrailingStop,
                                  .trail_amount = 1.0});
  REQUIRE(h.exec.find(id));
  CHECK(h.exec.find(id)->trail_stop == 9.0);  // last close 10 - 1
  h.publish(bar(2, 10, 10.5, 9.5, 10.4));
  CHECK(h.exec.find(id)->trail_stop == Approx(9.4).epsilon(1e-15));  // 10.4 - 1
  h.publish(bar(3, 10.6, 11.2, 10.5, 11.0));
  CHECK(h.exec.find(id)->trail_stop == 10.0);
  h.publish(bar(4, 10.5, 10.6, 9.8, 9.9));
  REQUIRE(h.fills_of(id).size() == 1);
  CHECK(h.fills_of(id)[0].price == 10.0);
  REQUIRE(h.portfolio.closed_trades().size() == 1);
  CHECK(h.portfolio.closed_trades()[0].gross_pnl == 0.0);  // bought 10, sold 10
}

TEST_CASE("trailing stop by percent: a gap through the level fills at the open", "[execution][types]") {
  Harness h;
  h.publish(bar(1, 10, 10, 10, 10));
  const OrderId id = h.submit(1, {.side = Side::Sell, .type = OrderType::TrailingStop,
                                  .trail_percent = 10});
  CHECK(h.exec.find(id)->trail_stop == Approx(9.0).epsilon(1e-15));
  h.publish(bar(2, 10, 12.2, 10, 12));
  CHECK(h.exec.find(id)->trail_stop == Approx(10.8).epsilon(1e-15));
  h.publish(bar(3, 10.5, 10.6, 10.2, 10.3));
  REQUIRE(h.fills_of(id).size() == 1);
  CHECK(h.fills_of(id)[0].price == 10.5);

  // A buy trailing stop (covering a short) trails below.
  const OrderId buy = h.submit(3, {.type = OrderType::TrailingStop, .trail_amount = 0.5});
  CHECK(h.exec.find(buy)->trail_stop == 10.8);  // 10.3 + 0.5
  h.publish(bar(4, 10.2, 10.4, 9.8, 9.9));      // high 10.4 < 10.8; level -> 10.4
  CHECK(h.exec.find(buy)->trail_stop == 10.4);
  h.publish(bar(5, 10.0, 10.6, 9.9, 10.5));
  REQUIRE(h.fills_of(buy).size() == 1);
  CHECK(h.fills_of(buy)[0].price == 10.4);
}

TEST_CASE("percentage commission keeps backtrader's operation order", "[execution][costs]") {
  ExecutionConfig ec;  // percentage, 0.001
  Harness h(100000.0, ec);
  h.submit(1, {.type = OrderType::Limit, .limit = 9.5});
  h.publish(bar(2, 10, 11, 9, 10.5));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].commission == 100 * 0.001 * 9.5);
  CHECK(h.portfolio.cash() == 100000.0 - (100 * 9.5 + 100 * 0.001 * 9.5));
}
