// A long multi-strategy run with shorts, brackets, every order type, costs,
// borrow fees and dividends over the sample ORCL, NVDA and YHOO bars, driven
// on the bus directly. On every timestamp the accounting identities hold:
//   equity = cash + sum(position * last close)
//   sum of closed trades' gross P&L = equity change - unrealized
//                                     + commissions + borrow fees - dividends
//   sum over strategies of their total P&L = equity change
//   a symbol's position = the sum of the strategies' books
//   cash >= 0 (no leverage configured)
#include <cmath>

#include "exec_harness.hpp"
#include "qtrader/data.hpp"
#include "qtrader/time.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

// A deterministic stream of decisions (64-bit LCG, Knuth's constants).
struct Dice {
  std::uint64_t state = 42;
  std::uint64_t next() { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; }
  int roll(int n) { return static_cast<int>((next() >> 33) % static_cast<std::uint64_t>(n)); }
};

}  // namespace

TEST_CASE("accounting identities hold on every bar of a long multi-strategy run",
          "[execution][identity]") {
  SymbolTable symbols;
  for (const char* s : {"ORCL", "NVDA", "YHOO"}) symbols.intern(s);
  DataSourceConfig src;
  src.name = "sample";
  src.path = std::string(QTRADER_SOURCE_DIR) + "/data/sample";
  src.columns.adj_close = 5;
  src.columns.volume = 6;
  std::vector<std::unique_ptr<BarStream>> streams;
  const Timestamp start = *parse_date("2000-01-01"), end = *parse_date("2014-12-31");
  for (SymbolId s = 0; s < 3; ++s)
    streams.push_back(open_csv_stream(src, src.file_for(symbols.name(s)), s, start, end));
  BarMerger merger(std::move(streams));

  // Dividends derived from the sample's Close / Adj Close jumps (docs/execution.md).
  CorporateActions actions(3);
  actions.add({0, *parse_date("2009-04-06"), CorporateAction::Type::Dividend, 0.05});
  actions.add({1, *parse_date("2012-11-20"), CorporateAction::Type::Dividend, 0.075});

  ExecutionConfig ec;
  ec.commission.model = CommissionKind::PerShare;
  ec.commission.rate = 0.005;
  ec.commission.minimum = 1.0;
  ec.slippage.model = SlippageKind::FixedBps;
  ec.slippage.bps = 5;
  ec.volume_limit = 0.001;
  PortfolioConfig pc;
  pc.borrow_fee_rate = 0.05;
  const double initial = 1e6;
  Harness h(initial, ec, pc, 3, &actions);

  std::size_t checked = 0;
  double worst = 0.0;
  h.bus.subscribe<PortfolioStateEvent>([&](const PortfolioStateEvent& e) {
    double marked = e.cash;
    for (const auto& p : e.positions) marked += p.quantity * p.last_price;
    const double scale = 1e-9 * initial;
    CHECK(std::fabs(marked - e.equity) <= scale);
    CHECK(std::fabs(e.equity - h.portfolio.equity()) <= scale);
    double gross = 0.0;
    for (const auto& t : h.portfolio.closed_trades()) gross += t.gross_pnl;
    const double change = e.equity - initial;
    const double implied = change - e.unrealized_pnl + h.portfolio.commissions() +
                           h.portfolio.borrow_fees() - h.portfolio.dividends();
    worst = std::max(worst, std::fabs(gross - implied));
    CHECK(std::fabs(gross - implied) <= scale);
    CHECK(std::fabs(gross - e.realized_pnl) <= scale);
    double total = 0.0;
    for (StrategyIndex k = 0; k < h.portfolio.strategy_count(); ++k)
      total += h.portfolio.attribution(k).total_pnl();
    CHECK(std::fabs(total - change) <= scale);
    for (SymbolId s = 0; s < 3; ++s) {
      double sum = 0.0;
      for (StrategyIndex k = 0; k < 3; ++k) sum += h.portfolio.strategy_position(k, s);
      CHECK(sum == Approx(h.portfolio.position(s)).margin(1e-9));
    }
    CHECK(e.cash >= 0.0);
    ++checked;
  });

  Dice dice;
  std::vector<Bar> slice;
  std::size_t bars = 0;
  while (merger.next_batch(slice)) {
    for (const Bar& b : slice) h.publish(b);
    bars += slice.size();
    const Timestamp ts = slice.front().ts;
    h.bus.publish(ValuationTriggerEvent{ts});
    for (const Bar& b : slice) {
      for (StrategyIndex k = 0; k < 3; ++k) {
        if (dice.roll(12) != 0) continue;
        const double pos = h.portfolio.strategy_position(k, b.symbol);
        OrderEvent o{ts, h.next_id++, 0, k, b.symbol, Side::Buy, 0, OrderSpec{}};
        const int choice = dice.roll(6);
        if (pos != 0 && choice < 2) {  // close what the strategy holds
          o.side = pos > 0 ? Side::Sell : Side::Buy;
          o.quantity = std::fabs(pos);
        } else {
          o.side = dice.roll(2) ? Side::Buy : Side::Sell;  // shorts included
          o.quantity = 10 * (1 + dice.roll(10));
        }
        const double c = b.close;
        switch (dice.roll(7)) {
          case 0: o.spec.type = OrderType::Limit; o.spec.limit_price = o.side == Side::Buy ? c * 0.99 : c * 1.01; break;
          case 1: o.spec.type = OrderType::Stop; o.spec.stop_price = o.side == Side::Buy ? c * 1.01 : c * 0.99; break;
          case 2: o.spec.type = OrderType::TrailingStop; o.spec.trail_percent = 3; break;
          case 3: o.spec.type = OrderType::MarketOnClose; break;
          case 4:
            o.stop_loss = o.side == Side::Buy ? c * 0.95 : c * 1.05;
            o.take_profit = o.side == Side::Buy ? c * 1.08 : c * 0.92;
            break;
          case 5: o.spec.tif = TimeInForce::Day; o.spec.type = OrderType::Limit; o.spec.limit_price = c; break;
          default: break;
        }
        h.bus.publish(o);
      }
    }
  }
  CHECK(bars == 11319);  // rows dated 2000-2014 in the three files
  CHECK(checked == 3773);
  // The run exercised what it claims to.
  CHECK(h.fills.size() > 3000);
  CHECK(h.portfolio.closed_trades().size() > 1000);
  std::size_t shorts = 0;
  for (const auto& t : h.portfolio.closed_trades()) shorts += t.entry_side == Side::Sell;
  CHECK(shorts > 300);
  CHECK(h.portfolio.borrow_fees() > 0.0);
  CHECK(h.portfolio.dividends() != 0.0);
  std::size_t children = 0;
  for (const auto& o : h.orders) children += o.parent_id != 0;
  CHECK(children > 100);
  INFO("largest identity residue " << worst);
  CHECK(worst < 1e-6);
}
