// Brackets: stop-loss and take-profit children, the reference stop-loss
// semantics (../shared/reference/README.md, "Stop orders"), one-cancels-other
// and the pessimistic rule.
#include "exec_harness.hpp"
#include "results/trade_attribution.hpp"
#include "risk/risk_service.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {
const OrderEvent* child_order(const Harness& h, OrderType type) {
  for (const auto& o : h.orders)
    if (o.parent_id != 0 && o.spec.type == type) return &o;
  return nullptr;
}
}  // namespace

TEST_CASE("a stop-loss is placed when the entry fills and is active from the next bar",
          "[execution][bracket]") {
  Harness h;
  const OrderId entry = h.submit(1, {.stop_loss = 9.5});
  CHECK(h.orders.size() == 1);
  // Entry fills at 10; this bar's low 9.0 is below the stop, which is not active yet.
  h.publish(bar(2, 10, 10.2, 9.0, 9.8));
  REQUIRE(h.fills.size() == 1);
  const OrderEvent* stop = child_order(h, OrderType::Stop);
  REQUIRE(stop);
  CHECK(stop->parent_id == entry);
  CHECK(stop->order_id >= kChildOrderIdBase);
  CHECK(stop->side == Side::Sell);
  CHECK(stop->quantity == 100);
  CHECK(stop->spec.stop_price == 9.5);
  CHECK(stop->ts == day(2));
  CHECK(h.portfolio.position(0) == 100);
  // Next bar: open above the trigger, low reaches it: fills at the trigger.
  h.publish(bar(3, 9.8, 10, 9.4, 9.6));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].order_id == stop->order_id);
  CHECK(h.fills[1].price == 9.5);
  CHECK(h.portfolio.position(0) == 0);
  CHECK(h.portfolio.closed_trades().at(0).gross_pnl == -50.0);
}

TEST_CASE("a gap through the stop fills at the open", "[execution][bracket]") {
  Harness h;
  h.submit(1, {.stop_loss = 9.5});
  h.publish(bar(2, 10, 10.2, 9.9, 10));
  h.publish(bar(3, 9.3, 9.6, 9.1, 9.2));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].price == 9.3);
}

TEST_CASE("a strategy exit that closes the position cancels the working stop",
          "[execution][bracket]") {
  Harness h;
  h.submit(1, {.stop_loss = 9.5, .take_profit = 12});
  h.publish(bar(2, 10, 10.2, 9.9, 10));
  const OrderEvent* stop = child_order(h, OrderType::Stop);
  const OrderEvent* profit = child_order(h, OrderType::Limit);
  REQUIRE(stop);
  REQUIRE(profit);
  const OrderId stop_id = stop->order_id, profit_id = profit->order_id;
  h.submit(2, {.side = Side::Sell, .quantity = 100});
  h.publish(bar(3, 10.1, 10.3, 9.0, 9.2));  // the exit fills at the open; the stop is gone
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].price == 10.1);
  CHECK(h.last_update(stop_id)->status == OrderStatus::Cancelled);
  CHECK(h.last_update(stop_id)->reason == "position closed");
  CHECK(h.last_update(profit_id)->status == OrderStatus::Cancelled);
  CHECK(h.exec.working_orders() == 0);
  h.publish(bar(4, 9, 9, 8, 8));
  CHECK(h.fills.size() == 2);
}

TEST_CASE("stop and take-profit reached in one bar: the stop fills first", "[execution][bracket]") {
  Harness h;
  h.submit(1, {.stop_loss = 9.5, .take_profit = 11});
  h.publish(bar(2, 10, 10.2, 9.9, 10));
  const OrderId stop_id = child_order(h, OrderType::Stop)->order_id;
  const OrderId profit_id = child_order(h, OrderType::Limit)->order_id;
  h.publish(bar(3, 10, 11.5, 9.0, 10));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].order_id == stop_id);
  CHECK(h.fills[1].price == 9.5);
  CHECK(h.last_update(profit_id)->status == OrderStatus::Cancelled);
  CHECK(h.last_update(profit_id)->reason ==
        "one-cancels-other: order " + std::to_string(stop_id) + " filled");
  CHECK(h.portfolio.position(0) == 0);
}

TEST_CASE("both reached, but the open gaps through the take-profit: it fills at the open",
          "[execution][bracket]") {
  Harness h;
  h.submit(1, {.stop_loss = 9.5, .take_profit = 11});
  h.publish(bar(2, 10, 10.2, 9.9, 10));
  const OrderId stop_id = child_order(h, OrderType::Stop)->order_id;
  const OrderId profit_id = child_order(h, OrderType::Limit)->order_id;
  h.publish(bar(3, 11.2, 11.5, 9.0, 10));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].order_id == profit_id);
  CHECK(h.fills[1].price == 11.2);
  CHECK(h.last_update(stop_id)->status == OrderStatus::Cancelled);
  CHECK(h.portfolio.closed_trades().at(0).gross_pnl == Approx(120.0).epsilon(1e-12));
}

TEST_CASE("a short entry's bracket: buy stop above, buy limit below", "[execution][bracket]") {
  Harness h;
  h.submit(1, {.side = Side::Sell, .stop_loss = 11, .take_profit = 9});
  h.publish(bar(2, 10, 10.2, 9.9, 10));
  const OrderEvent* stop = child_order(h, OrderType::Stop);
  REQUIRE(stop);
  CHECK(stop->side == Side::Buy);
  CHECK(child_order(h, OrderType::Limit)->side == Side::Buy);
  h.publish(bar(3, 9.8, 10, 8.7, 9.0));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].price == 9.0);
  CHECK(h.portfolio.closed_trades().at(0).gross_pnl == 100.0);  // sold 10, bought 9
}

TEST_CASE("the risk service carries a signal's stop-loss onto its order, which becomes the bracket",
          "[execution][bracket]") {
  Harness h;
  // Sizes every signal to 100.
  struct SizeAll final : RiskPolicy {
    void evaluate(std::span<const RiskSignal> signals, const RiskPortfolio&,
                  std::vector<RiskDecision>& out) override {
      for (const auto& s : signals) out.push_back({s.signal_id, 100.0});
    }
  } policy;
  SymbolTable symbols;
  symbols.intern("X");
  const std::vector<std::string> ids{"s"};
  RiskService risk(h.bus, h.portfolio, h.exec.commission(), symbols, ids);
  risk.set_policy(&policy);
  SignalEvent s{day(1), 7, 0, 0, Intention::OpenLong};
  s.stop_loss = 9.5;
  h.bus.publish(s);
  h.bus.publish(RiskEvaluationTriggerEvent{day(1)});
  REQUIRE(h.orders.size() == 1);
  CHECK(h.orders[0].stop_loss == 9.5);
  CHECK(std::isnan(h.orders[0].take_profit));
  h.publish(bar(2, 10, 10.2, 9.9, 10));
  const OrderEvent* stop = child_order(h, OrderType::Stop);
  REQUIRE(stop);
  CHECK(stop->spec.stop_price == 9.5);
  CHECK(stop->signal_id == 7);
  CHECK(child_order(h, OrderType::Limit) == nullptr);
}

TEST_CASE("partial entry fills grow the children and a partial child fill shrinks its sibling",
          "[execution][bracket]") {
  ExecutionConfig ec = Harness::zero_commission();
  ec.volume_limit = 0.5;
  Harness h(100000.0, ec);
  const OrderId entry = h.submit(1, {.quantity = 100, .stop_loss = 9, .take_profit = 12});
  h.publish(bar(2, 10, 10.5, 9.8, 10, 120));  // 60 fill
  REQUIRE(h.fills.size() == 1);
  CHECK(h.last_update(entry)->status == OrderStatus::PartiallyFilled);
  h.publish(bar(3, 10, 10.5, 9.8, 10, 120));  // the other 40; children grow to 100
  CHECK(h.portfolio.position(0) == 100);
  const OrderId profit_id = child_order(h, OrderType::Limit)->order_id;
  const OrderId stop_id = child_order(h, OrderType::Stop)->order_id;
  CHECK(h.exec.find(profit_id)->order.quantity == 100);
  h.publish(bar(4, 11, 12.5, 10.8, 12, 60));  // take-profit: 30 of 100
  CHECK(h.fills_of(profit_id).size() == 1);
  CHECK(h.fills_of(profit_id)[0].quantity == 30);
  CHECK(h.exec.find(stop_id)->remaining() == 70);
}

TEST_CASE("trades name the order that closed them and why: stop_loss, take_profit, signal",
          "[execution][bracket][trades]") {
  Harness h;
  TradeAttribution why(h.bus);
  const OrderId a = h.submit(1, {.stop_loss = 9.5, .take_profit = 12});
  h.publish(bar(2, 10, 10.2, 9.9, 10));
  h.publish(bar(3, 9.8, 10, 9.4, 9.6));  // the stop fills at 9.5
  const OrderId b = h.submit(3, {.stop_loss = 8, .take_profit = 10});
  h.publish(bar(4, 9.6, 9.8, 9.5, 9.7));
  h.publish(bar(5, 9.9, 10.5, 9.8, 10.2));  // the take-profit fills at 10
  const OrderId c = h.submit(5, {});
  h.publish(bar(6, 10, 10.1, 9.9, 10));
  const OrderId d = h.submit(6, {.side = Side::Sell, .quantity = 100});
  h.publish(bar(7, 10, 10.1, 9.9, 10));
  const auto& trades = h.portfolio.closed_trades();
  REQUIRE(trades.size() == 3);
  CHECK(trades[0].entry_order_id == a);
  CHECK(why.exit_reason(trades[0].exit_order_id) == "stop_loss");
  CHECK(trades[1].entry_order_id == b);
  CHECK(why.exit_reason(trades[1].exit_order_id) == "take_profit");
  CHECK(trades[2].entry_order_id == c);
  CHECK(trades[2].exit_order_id == d);
  CHECK(why.exit_reason(d) == "signal");
}
