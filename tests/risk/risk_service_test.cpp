// The risk service on the bus, with a C++ policy: what it hands the policy
// (the batch, the portfolio state, the context with its bar history), and
// what it publishes for each signal (an order, the policy's rejection, "no
// decision", "sized to zero"), in signal order. A Lua policy cannot give a
// quantity <= 0 or skip a signal (RiskScript refuses or fills in such answers,
// tests/risk/risk_script_test.cpp), so those two rejections are reached here.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "execution/commission.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/symbol_table.hpp"
#include "risk/risk_service.hpp"
#include "strategy/bar_history.hpp"

using namespace qtrader;

namespace {

constexpr Timestamp kDay = 86'400'000'000'000LL;

class FixedPortfolio final : public PortfolioView {
 public:
  double cash() const override { return 40000.0; }
  double equity() const override { return 125000.0; }
  double position(SymbolId s) const override { return s == 0 ? 300.0 : -20.0; }
  double last_price(SymbolId s) const override { return s == 0 ? 12.5 : 80.0; }
};

// A policy whose answers a test writes; it records what it was given.
class ScriptedPolicy final : public RiskPolicy {
 public:
  std::function<void(std::span<const RiskSignal>, std::vector<RiskDecision>&)> answer;
  std::vector<std::vector<RiskSignal>> batches;
  std::vector<RiskPortfolio> states;
  void evaluate(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio,
                std::vector<RiskDecision>& out) override {
    batches.emplace_back(signals.begin(), signals.end());
    states.push_back(portfolio);
    if (answer) answer(signals, out);
  }
};

RiskDecision quantity(std::uint64_t signal, double q) {
  RiskDecision d;
  d.signal_id = signal;
  d.quantity = q;
  return d;
}
RiskDecision reject(std::uint64_t signal, std::string reason) {
  RiskDecision d;
  d.signal_id = signal;
  d.rejected = true;
  d.reason = std::move(reason);
  return d;
}

SignalEvent make_signal(std::uint64_t id, SymbolId symbol, Intention intention, StrategyIndex strategy = 0) {
  SignalEvent s{};
  s.ts = 3 * kDay;
  s.signal_id = id;
  s.strategy = strategy;
  s.symbol = symbol;
  s.intention = intention;
  return s;
}

Bar bar(Timestamp day, SymbolId s, double close) {
  Bar b;
  b.ts = day * kDay;
  b.symbol = s;
  b.open = close - 1;
  b.high = close + 2;
  b.low = close - 3;
  b.close = close;
  b.volume = 1000 + day;
  return b;
}

// A RiskService with two symbols, two strategies and (optionally) a bar history.
struct Rig {
  EventBus bus;
  FixedPortfolio portfolio;
  CommissionModel commission{CommissionConfig{}};  // 0.1% of traded value
  SymbolTable symbols;
  std::vector<std::string> strategies{"trend", "meanrev"};
  BarHistory history{2};
  RiskService service;
  ScriptedPolicy policy;
  std::vector<OrderEvent> orders;
  std::vector<OrderRejectedEvent> rejections;

  explicit Rig(bool with_history = true)
      : symbols(make_symbols()), service(bus, portfolio, commission, symbols, strategies,
                                         with_history ? &history : nullptr) {
    service.set_policy(&policy);
    bus.subscribe<OrderEvent>([this](const OrderEvent& e) { orders.push_back(e); });
    bus.subscribe<OrderRejectedEvent>([this](const OrderRejectedEvent& e) { rejections.push_back(e); });
  }
  static SymbolTable make_symbols() {
    SymbolTable t;
    t.intern("AAA");
    t.intern("BBB");
    return t;
  }
  void evaluate(Timestamp day) { bus.publish(RiskEvaluationTriggerEvent{day * kDay}); }
};

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("risk context: portfolio, symbols, commission and the clock", "[risk][service]") {
  Rig rig;
  RiskContext& ctx = rig.service;
  CHECK(ctx.cash() == 40000.0);
  CHECK(ctx.equity() == 125000.0);
  CHECK(ctx.position(0) == 300.0);
  CHECK(ctx.position(1) == -20.0);
  CHECK(ctx.price(1) == 80.0);
  CHECK(ctx.symbol("BBB") == 1);
  CHECK(ctx.symbol("ZZZ") == kNoSymbol);
  CHECK(ctx.symbol_name(0) == "AAA");
  CHECK(ctx.commission(0, 200, 12.5) == 200 * 0.001 * 12.5);
  CHECK(ctx.commission(0, -200, 12.5) == 200 * 0.001 * 12.5);
  CHECK(ctx.now() == 0);
  rig.evaluate(7);  // nothing pending: the clock still moves, the policy is not called
  CHECK(ctx.now() == 7 * kDay);
  CHECK(rig.policy.batches.empty());
  ctx.log(LogLevel::Info, "logged through spdlog");
}

TEST_CASE("risk context: value and history read the strategies' bar history", "[risk][service]") {
  Rig rig;
  RiskContext& ctx = rig.service;
  for (int d = 1; d <= 4; ++d) {
    rig.history.push(bar(d, 0, 10.0 + d));
    rig.history.push(bar(d, 1, 100.0 - d));
  }
  // Depth 1 at first: only the latest bar is held.
  CHECK(rig.history.depth() == 1);
  CHECK(ctx.value(0, "close", 0) == 14.0);
  CHECK(ctx.value(1, "open", 0) == 95.0);
  CHECK(ctx.value(1, "volume", 0) == 1004.0);
  CHECK(ctx.value(0, "ts", 0) == static_cast<double>(4 * kDay));
  // A deeper request deepens the history for the next bars; older bars are gone.
  CHECK(std::isnan(ctx.value(0, "close", 2)));
  CHECK(rig.history.depth() == 3);
  rig.history.push(bar(5, 0, 15.0));
  rig.history.push(bar(6, 0, 16.0));
  CHECK(ctx.value(0, "close", 1) == 15.0);
  std::vector<double> out{99.0};
  ctx.history(0, "close", 3, out);
  CHECK(out == std::vector<double>{14.0, 15.0, 16.0});  // bars 4, 5, 6 (bar 4 was kept at depth 1)
  ctx.history(0, "high", 2, out);
  CHECK(out == std::vector<double>{17.0, 18.0});
  ctx.history(1, "low", 5, out);  // asks for more than held: what there is
  CHECK(out == std::vector<double>{93.0});
  CHECK(rig.history.depth() == 5);
  ctx.keep_history(8);
  CHECK(rig.history.depth() == 8);
  ctx.keep_history(2);  // never shrinks
  CHECK(rig.history.depth() == 8);

  CHECK(error_of([&] { ctx.value(2, "close", 0); }) == "ctx:value: unknown symbol handle 2");
  CHECK(error_of([&] { ctx.value(0, "close", -1); }) == "ctx:value: depth must be in [0, 1000000), got -1");
  CHECK(error_of([&] { ctx.history(0, "close", 1000000, out); }) ==
        "ctx:history: depth must be in [0, 1000000), got 1000000");
  CHECK(error_of([&] { ctx.history(5, "close", 1, out); }) == "ctx:history: unknown symbol handle 5");
  CHECK(error_of([&] { ctx.keep_history(-3); }) == "ctx:keep_history: depth must be in [0, 1000000), got -3");
  CHECK(error_of([&] { ctx.value(0, "vwap", 0); }) ==
        "unknown bar field 'vwap' (fields: open, high, low, close, volume, adj_close, ts)");
}

TEST_CASE("risk context: without a bar history value and history are refused", "[risk][service]") {
  Rig rig(false);
  RiskContext& ctx = rig.service;
  std::vector<double> out;
  CHECK(error_of([&] { ctx.value(0, "close", 0); }) == "ctx:value is not available to this risk context");
  CHECK(error_of([&] { ctx.history(0, "close", 2, out); }) ==
        "ctx:history is not available to this risk context");
  ctx.keep_history(10);  // nothing to keep
  CHECK(rig.history.depth() == 1);
}

TEST_CASE("risk service: the policy gets the batch and the last portfolio state", "[risk][service]") {
  Rig rig;
  const std::vector<PositionSnapshot> no_positions;
  rig.bus.publish(PortfolioStateEvent{2 * kDay, 1.0, 2.0, 3.0, -4.0, 0.5, 0.25, no_positions});
  SignalEvent a = make_signal(11, 1, Intention::OpenShort, 1);
  a.price = 79.5;
  a.confidence = 0.25;
  a.stop_loss = 85.0;
  a.take_profit = 70.0;
  a.tag = "fade";
  a.order.type = OrderType::Limit;
  a.order.limit_price = 81.0;
  rig.bus.publish(a);
  rig.bus.publish(make_signal(12, 0, Intention::CloseLong, 0));
  rig.policy.answer = [](std::span<const RiskSignal> s, std::vector<RiskDecision>& out) {
    for (const auto& x : s) out.push_back(quantity(x.signal_id, 5));
  };
  rig.evaluate(3);

  REQUIRE(rig.policy.batches.size() == 1);
  const auto& batch = rig.policy.batches[0];
  REQUIRE(batch.size() == 2);
  CHECK(batch[0].signal_id == 11);
  CHECK(batch[0].strategy_id == "meanrev");
  CHECK(batch[0].symbol == 1);
  CHECK(batch[0].intention == Intention::OpenShort);
  CHECK(batch[0].price == 79.5);
  CHECK(batch[0].confidence == 0.25);
  CHECK(batch[0].stop_loss == 85.0);
  CHECK(batch[0].take_profit == 70.0);
  CHECK(batch[0].tag == "fade");
  CHECK(batch[0].order.type == OrderType::Limit);
  CHECK(batch[0].order.limit_price == 81.0);
  CHECK(batch[1].signal_id == 12);
  CHECK(batch[1].strategy_id == "trend");
  CHECK(std::isnan(batch[1].price));
  const RiskPortfolio& p = rig.policy.states[0];
  CHECK((p.cash == 1.0 && p.equity == 2.0 && p.gross_exposure == 3.0 && p.net_exposure == -4.0));

  // The signal's hints travel with the order; order ids count from 1.
  REQUIRE(rig.orders.size() == 2);
  CHECK(rig.orders[0].order_id == 1);
  CHECK(rig.orders[0].signal_id == 11);
  CHECK(rig.orders[0].ts == 3 * kDay);
  CHECK(rig.orders[0].strategy == 1);
  CHECK(rig.orders[0].side == Side::Sell);
  CHECK(rig.orders[0].quantity == 5);
  CHECK(rig.orders[0].spec.type == OrderType::Limit);
  CHECK(rig.orders[0].spec.limit_price == 81.0);
  CHECK(rig.orders[0].stop_loss == 85.0);
  CHECK(rig.orders[0].take_profit == 70.0);
  CHECK(rig.orders[1].order_id == 2);
  CHECK(rig.orders[1].side == Side::Sell);  // close_long sells
  CHECK(rig.rejections.empty());

  // The batch is spent: the next trigger with no signals calls nobody.
  rig.evaluate(4);
  CHECK(rig.policy.batches.size() == 1);
}

TEST_CASE("risk service: 'no decision' for a signal the policy did not answer", "[risk][service]") {
  Rig rig;
  rig.bus.publish(make_signal(1, 0, Intention::OpenLong));
  rig.bus.publish(make_signal(2, 1, Intention::OpenLong, 1));
  rig.bus.publish(make_signal(3, 0, Intention::CloseLong));
  rig.policy.answer = [](std::span<const RiskSignal>, std::vector<RiskDecision>& out) {
    out.push_back(quantity(2, 7));  // signals 1 and 3 unanswered; 99 is no signal of the batch
    out.push_back(quantity(99, 1));
  };
  rig.evaluate(3);
  REQUIRE(rig.orders.size() == 1);
  CHECK(rig.orders[0].signal_id == 2);
  CHECK(rig.orders[0].quantity == 7);
  REQUIRE(rig.rejections.size() == 2);
  CHECK(rig.rejections[0].signal_id == 1);
  CHECK(rig.rejections[0].order_id == 0);
  CHECK(rig.rejections[0].ts == 3 * kDay);
  CHECK(rig.rejections[0].reason == "no decision from risk policy");
  CHECK(rig.rejections[1].signal_id == 3);
  CHECK(rig.rejections[1].strategy == 0);
  CHECK(rig.rejections[1].symbol == 0);
  CHECK(rig.rejections[1].reason == "no decision from risk policy");
}

TEST_CASE("risk service: without a policy every signal is 'no decision'", "[risk][service]") {
  Rig rig;
  rig.service.set_policy(nullptr);
  rig.bus.publish(make_signal(5, 1, Intention::OpenShort, 1));
  rig.evaluate(3);
  CHECK(rig.orders.empty());
  REQUIRE(rig.rejections.size() == 1);
  CHECK(rig.rejections[0].signal_id == 5);
  CHECK(rig.rejections[0].strategy == 1);
  CHECK(rig.rejections[0].symbol == 1);
  CHECK(rig.rejections[0].reason == "no decision from risk policy");
}

TEST_CASE("risk service: a quantity of zero, below zero or not finite is 'sized to zero'",
          "[risk][service]") {
  Rig rig;
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> quantities{0.0, -3.0, kNaN, inf, 2.5};
  for (std::uint64_t id = 1; id <= quantities.size(); ++id)
    rig.bus.publish(make_signal(id, 0, Intention::OpenLong));
  rig.bus.publish(make_signal(6, 1, Intention::OpenShort));
  rig.policy.answer = [&](std::span<const RiskSignal>, std::vector<RiskDecision>& out) {
    out.push_back(reject(6, "over the budget"));  // answers in any order
    for (std::uint64_t id = quantities.size(); id >= 1; --id)
      out.push_back(quantity(id, quantities[id - 1]));
  };
  rig.evaluate(3);
  REQUIRE(rig.orders.size() == 1);
  CHECK(rig.orders[0].signal_id == 5);
  CHECK(rig.orders[0].quantity == 2.5);
  CHECK(rig.orders[0].order_id == 1);
  REQUIRE(rig.rejections.size() == 5);  // in signal order
  for (std::uint64_t id = 1; id <= 4; ++id) {
    INFO("signal " << id);
    CHECK(rig.rejections[id - 1].signal_id == id);
    CHECK(rig.rejections[id - 1].reason == "risk policy sized the order to zero");
  }
  CHECK(rig.rejections[4].signal_id == 6);
  CHECK(rig.rejections[4].reason == "over the budget");
}
