// Lots (FIFO/LIFO), average cost, fees, corporate actions and attribution.
#include "../execution/exec_harness.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {
FillEvent fill(int d, Side side, double qty, double price, double fee = 0.0,
               StrategyIndex strategy = 0, SymbolId s = 0) {
  return FillEvent{day(d), 1, strategy, s, side, qty, price, fee};
}
}  // namespace

TEST_CASE("LIFO closes the newest lot first and average cost is reported too",
          "[execution][portfolio]") {
  EventBus bus;
  PortfolioConfig pc;
  pc.lot_matching = LotMatching::Lifo;
  Portfolio p(bus, 100000.0, 1, pc);
  bus.publish(fill(1, Side::Buy, 100, 10.0));
  bus.publish(fill(2, Side::Buy, 100, 20.0));
  CHECK(p.average_cost(0, 0) == 15.0);
  bus.publish(fill(3, Side::Sell, 150, 30.0));
  REQUIRE(p.closed_trades().size() == 2);
  CHECK(p.closed_trades()[0].entry_price == 20.0);
  CHECK(p.closed_trades()[0].gross_pnl == 1000.0);
  CHECK(p.closed_trades()[1].entry_price == 10.0);
  CHECK(p.closed_trades()[1].quantity == 50);
  CHECK(p.closed_trades()[1].gross_pnl == 1000.0);
  const auto open = p.open_positions();
  REQUIRE(open.size() == 1);
  CHECK(open[0].avg_price == 10.0);      // the remaining lot
  CHECK(open[0].average_cost == 15.0);   // average-cost method: reductions keep it

  EventBus bus2;
  Portfolio fifo(bus2, 100000.0, 1);
  bus2.publish(fill(1, Side::Buy, 100, 10.0));
  bus2.publish(fill(2, Side::Buy, 100, 20.0));
  bus2.publish(fill(3, Side::Sell, 150, 30.0));
  CHECK(fifo.open_positions()[0].avg_price == 20.0);
  CHECK(fifo.open_positions()[0].average_cost == 15.0);
  CHECK(fifo.realized_pnl() == 2000.0 + 500.0);
}

TEST_CASE("commissions and fees are in the ledger", "[execution][portfolio]") {
  EventBus bus;
  Portfolio p(bus, 100000.0, 1);
  bus.publish(fill(1, Side::Buy, 100, 10.0, 1.0));
  bus.publish(fill(2, Side::Sell, 100, 11.0, 1.1));
  REQUIRE(p.ledger().size() == 2);
  CHECK(p.ledger()[0].kind == LedgerEntry::Kind::Commission);
  CHECK(p.ledger()[0].amount == -1.0);
  CHECK(p.ledger()[1].amount == -1.1);
  CHECK(p.commissions() == 2.1);
}

TEST_CASE("borrow fee: annual rate / 365 per calendar day on the short value",
          "[execution][portfolio]") {
  EventBus bus;
  PortfolioConfig pc;
  pc.borrow_fee_rate = 0.10;
  Portfolio p(bus, 100000.0, 1, pc);
  const Bar b1 = bar(1, 50, 50, 50, 50);
  bus.publish(BarEvent{b1});
  bus.publish(fill(1, Side::Sell, 100, 50.0));
  bus.publish(ValuationTriggerEvent{day(1)});  // short value 5000 from here
  CHECK(p.borrow_fees() == 0.0);
  const Bar b4 = bar(4, 40, 40, 40, 40);       // three calendar days later
  bus.publish(BarEvent{b4});
  bus.publish(ValuationTriggerEvent{day(4)});
  const double fee = 5000.0 * 0.10 / 365.0 * 3.0;
  CHECK(p.borrow_fees() == fee);
  CHECK(p.cash() == 105000.0 - fee);
  CHECK(p.equity() == 105000.0 - fee - 4000.0);
  REQUIRE(p.ledger().size() == 1);
  CHECK(p.ledger()[0].kind == LedgerEntry::Kind::BorrowFee);
  CHECK(p.attribution(0).borrow_fees == fee);
  // The next day accrues on 100 * 40.
  const Bar b5 = bar(5, 40, 40, 40, 40);
  bus.publish(BarEvent{b5});
  bus.publish(ValuationTriggerEvent{day(5)});
  CHECK(p.borrow_fees() == fee + 4000.0 * 0.10 / 365.0);
}

TEST_CASE("a dividend credits longs and debits shorts on the ex-date", "[execution][portfolio]") {
  CorporateActions actions(1);
  actions.add({0, day(3), CorporateAction::Type::Dividend, 0.5});
  Harness h(100000.0, Harness::zero_commission(), {}, 1, &actions);
  h.bus.publish(fill(1, Side::Buy, 100, 10.0, 0.0, 0));
  h.bus.publish(fill(1, Side::Sell, 40, 10.0, 0.0, 1));
  const double before = h.portfolio.cash();
  h.publish(bar(2, 10, 10, 10, 10));
  CHECK(h.portfolio.cash() == before);
  h.publish(bar(3, 9.5, 9.5, 9.5, 9.5));
  CHECK(h.portfolio.cash() == before + 50.0 - 20.0);
  CHECK(h.portfolio.dividends() == 30.0);
  CHECK(h.portfolio.attribution(0).dividends == 50.0);
  CHECK(h.portfolio.attribution(1).dividends == -20.0);
  h.publish(bar(4, 9.5, 9.5, 9.5, 9.5));
  CHECK(h.portfolio.dividends() == 30.0);  // once
}

TEST_CASE("a split scales positions, lots and working orders", "[execution][portfolio]") {
  CorporateActions actions(1);
  actions.add({0, day(3), CorporateAction::Type::Split, 2.0});
  Harness h(100000.0, Harness::zero_commission(), {}, 1, &actions);
  h.submit(1, {.quantity = 100});
  h.publish(bar(2, 10, 10, 10, 10));
  const OrderId limit = h.submit(2, {.side = Side::Sell, .quantity = 100, .type = OrderType::Limit,
                                     .limit = 12});
  const double equity = h.portfolio.equity();
  h.publish(bar(3, 5, 5, 5, 5));
  CHECK(h.portfolio.position(0) == 200);
  CHECK(h.portfolio.open_positions()[0].avg_price == 5.0);
  CHECK(h.portfolio.average_cost(0, 0) == 5.0);
  CHECK(h.portfolio.equity() == equity);
  REQUIRE(h.exec.find(limit));
  CHECK(h.exec.find(limit)->order.quantity == 200);
  CHECK(h.exec.find(limit)->order.spec.limit_price == 6.0);
  h.publish(bar(4, 5.5, 6.5, 5.5, 6));
  REQUIRE(h.fills_of(limit).size() == 1);
  CHECK(h.fills_of(limit)[0].quantity == 200);
  CHECK(h.fills_of(limit)[0].price == 6.0);
  CHECK(h.portfolio.closed_trades().at(0).gross_pnl == 200.0);  // 200 * (6 - 5)
}

TEST_CASE("per-strategy attribution sums to the portfolio", "[execution][portfolio]") {
  EventBus bus;
  Portfolio p(bus, 100000.0, 2);
  bus.publish(fill(1, Side::Buy, 100, 10.0, 1.0, 0, 0));
  bus.publish(fill(1, Side::Sell, 50, 20.0, 1.0, 1, 1));
  bus.publish(fill(2, Side::Sell, 100, 12.0, 1.2, 0, 0));
  const Bar b0 = bar(2, 12, 12, 12, 12, 1e6, 0), b1 = bar(2, 18, 18, 18, 18, 1e6, 1);
  bus.publish(BarEvent{b0});
  bus.publish(BarEvent{b1});
  const auto a = p.attribution(0), b = p.attribution(1);
  CHECK(a.realized_pnl == 200.0);
  CHECK(a.trades == 1);
  CHECK(a.commissions == 2.2);
  CHECK(a.gross_exposure == 0.0);
  CHECK(b.realized_pnl == 0.0);
  CHECK(b.unrealized_pnl == 100.0);  // short 50 from 20 to 18
  CHECK(b.net_exposure == -900.0);
  CHECK(a.total_pnl() + b.total_pnl() == Approx(p.equity() - 100000.0).margin(1e-9));
  CHECK(p.strategy_position(1, 1) == -50);
  CHECK(p.strategy_position(0, 1) == 0);
}
