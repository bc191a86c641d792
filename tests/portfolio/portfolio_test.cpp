#include <catch2/catch.hpp>

#include "portfolio/portfolio.hpp"

using namespace qtrader;

namespace {
Bar bar(Timestamp day, SymbolId s, double o, double c) {
  return Bar{day * kNanosPerDay, s, o, std::max(o, c), std::min(o, c), c, 1000, kNaN};
}
FillEvent fill(Timestamp day, SymbolId s, Side side, double qty, double price, double fee,
               StrategyIndex strategy = 0) {
  return FillEvent{day * kNanosPerDay, 1, strategy, s, side, qty, price, fee};
}
}  // namespace

TEST_CASE("cash, equity and realized P&L of a long round trip", "[portfolio]") {
  EventBus bus;
  Portfolio p(bus, 100000.0, 1);
  const Bar b1 = bar(1, 0, 10.0, 11.0);
  bus.publish(BarEvent{b1});
  bus.publish(fill(1, 0, Side::Buy, 100, 10.0, 1.0));
  CHECK(p.cash() == 100000.0 - 1001.0);
  CHECK(p.position(0) == 100);
  CHECK(p.equity() == 100000.0 - 1001.0 + 100 * 11.0);
  CHECK(p.unrealized_pnl() == 100.0);

  bus.publish(fill(2, 0, Side::Sell, 100, 12.0, 1.2));
  CHECK(p.cash() == Approx(100000.0 - 1001.0 + 1200.0 - 1.2).epsilon(1e-15));
  CHECK(p.position(0) == 0);
  REQUIRE(p.closed_trades().size() == 1);
  const auto& t = p.closed_trades()[0];
  CHECK(t.gross_pnl == 200.0);
  CHECK(t.commission == 2.2);
  CHECK(t.net_pnl == 200.0 - 2.2);
  CHECK(t.entry_time == 1 * kNanosPerDay);
  CHECK(t.exit_time == 2 * kNanosPerDay);
  CHECK(p.realized_pnl() == 200.0);
  CHECK(p.commissions() == 2.2);
}

TEST_CASE("lots close first-in first-out, splitting commissions pro rata", "[portfolio]") {
  EventBus bus;
  Portfolio p(bus, 100000.0, 1);
  bus.publish(fill(1, 0, Side::Buy, 100, 10.0, 1.0));
  bus.publish(fill(2, 0, Side::Buy, 100, 20.0, 2.0));
  bus.publish(fill(3, 0, Side::Sell, 150, 30.0, 4.5));
  REQUIRE(p.closed_trades().size() == 2);
  const auto& a = p.closed_trades()[0];
  const auto& b = p.closed_trades()[1];
  CHECK(a.entry_price == 10.0);
  CHECK(a.quantity == 100);
  CHECK(a.gross_pnl == 2000.0);
  CHECK(a.commission == Approx(1.0 + 3.0));
  CHECK(b.entry_price == 20.0);
  CHECK(b.quantity == 50);
  CHECK(b.gross_pnl == 500.0);
  CHECK(b.commission == Approx(1.0 + 1.5));
  CHECK(p.position(0) == 50);
  const auto open = p.open_positions();
  REQUIRE(open.size() == 1);
  CHECK(open[0].avg_price == 20.0);
}

TEST_CASE("a short round trip earns when the price falls", "[portfolio]") {
  EventBus bus;
  Portfolio p(bus, 1000.0, 1);
  bus.publish(fill(1, 0, Side::Sell, 10, 50.0, 0.0));
  CHECK(p.cash() == 1500.0);
  CHECK(p.position(0) == -10);
  const Bar b = bar(2, 0, 45.0, 40.0);
  bus.publish(BarEvent{b});
  CHECK(p.equity() == 1500.0 - 400.0);
  bus.publish(fill(3, 0, Side::Buy, 10, 40.0, 0.0));
  REQUIRE(p.closed_trades().size() == 1);
  CHECK(p.closed_trades()[0].gross_pnl == 100.0);
  CHECK(p.equity() == 1100.0);
}

TEST_CASE("valuation publishes cash, equity and exposures", "[portfolio]") {
  EventBus bus;
  Portfolio p(bus, 10000.0, 2);
  const Bar b0 = bar(1, 0, 10.0, 10.0), b1 = bar(1, 1, 20.0, 20.0);
  bus.publish(BarEvent{b0});
  bus.publish(BarEvent{b1});
  bus.publish(fill(1, 0, Side::Buy, 100, 10.0, 0.0));
  bus.publish(fill(1, 1, Side::Sell, 10, 20.0, 0.0));
  double gross = 0, net = 0, equity = 0;
  std::size_t positions = 0;
  bus.subscribe<PortfolioStateEvent>([&](const PortfolioStateEvent& e) {
    gross = e.gross_exposure;
    net = e.net_exposure;
    equity = e.equity;
    positions = e.positions.size();
  });
  bus.publish(ValuationTriggerEvent{kNanosPerDay});
  CHECK(gross == 1200.0);
  CHECK(net == 800.0);
  CHECK(equity == 10000.0);
  CHECK(positions == 2);
}
