// LiveRiskGuard against a real Portfolio on a real bus: each limit with the
// exact order it refuses and why.
#include <catch2/catch.hpp>

#include "live/live_risk.hpp"
#include "portfolio/portfolio.hpp"

using qtrader::live::LiveRiskGuard;
using namespace qtrader;

namespace {

constexpr Timestamp kSecond = 1'000'000'000LL;
constexpr Timestamp kDay = 86'400 * kSecond;

struct Desk {
  EventBus bus;
  SymbolTable symbols;
  Portfolio portfolio{bus, 100000.0, 1};
  std::vector<std::string> events;  // "type: text"
  std::vector<Timestamp> kills;
  std::unique_ptr<LiveRiskGuard> guard;

  explicit Desk(LiveRiskLimits limits) {
    symbols.intern("ORCL");
    guard = std::make_unique<LiveRiskGuard>(
        bus, limits, portfolio, symbols, TimeZone::utc(),
        [this](Timestamp, const std::string& type, const std::string& text) { events.push_back(type + ": " + text); },
        [this](Timestamp ts) { kills.push_back(ts); });
  }
  void bar(Timestamp ts, double close) {
    const Bar b{ts, 0, close, close, close, close, 1000, kNaN};
    bus.publish(BarEvent{b, 0});
  }
  void fill(Timestamp ts, Side side, double quantity, double price) {
    bus.publish(FillEvent{ts, 1, 0, 0, side, quantity, price, 0.0, 1});
  }
  void value(Timestamp ts) { bus.publish(ValuationTriggerEvent{ts}); }
  std::string order(Timestamp ts, Side side, double quantity) {
    return guard->check(OrderEvent{ts, 1, 1, 0, 0, side, quantity, OrderSpec{}});
  }
};

}  // namespace

TEST_CASE("live risk max_orders_per_minute counts the orders of the last minute of engine time", "[live][risk]") {
  LiveRiskLimits limits;
  limits.max_orders_per_minute = 2;
  Desk d(limits);
  CHECK(d.order(0, Side::Buy, 1) == "");
  CHECK(d.order(30 * kSecond, Side::Buy, 1) == "");
  CHECK(d.order(59 * kSecond, Side::Buy, 1) == "live.risk.max_orders_per_minute: 2 orders in the last minute");
  // The first order is a minute old at 60 s: one left in the window.
  CHECK(d.order(60 * kSecond, Side::Buy, 1) == "");
  CHECK(d.events == std::vector<std::string>{"risk: live.risk.max_orders_per_minute: 2 orders in the last minute"});
}

TEST_CASE("live risk max_position and max_notional refuse growth never a reduction", "[live][risk]") {
  LiveRiskLimits limits;
  limits.max_position = 150;
  limits.max_notional = 12000;
  Desk d(limits);
  d.bar(kDay, 100.0);
  CHECK(d.order(kDay, Side::Buy, 100) == "");
  d.fill(kDay, Side::Buy, 100, 100.0);
  CHECK(d.order(kDay, Side::Buy, 60) == "live.risk.max_position: ORCL would hold 160 (limit 150)");
  CHECK(d.order(kDay, Side::Buy, 30) == "live.risk.max_notional: ORCL would hold 13000.00 (limit 12000)");
  CHECK(d.order(kDay, Side::Buy, 20) == "");
  // A short of 200 grows |position| from 100 to 100 the other way: not refused.
  CHECK(d.order(kDay, Side::Sell, 200) == "");
  CHECK(d.order(kDay, Side::Sell, 260) == "live.risk.max_position: ORCL would hold -160 (limit 150)");
}

TEST_CASE("live risk max_daily_loss trips the kill switch once and refuses every later order", "[live][risk]") {
  LiveRiskLimits limits;
  limits.max_daily_loss = 500;
  Desk d(limits);
  d.bar(kDay, 100.0);
  d.fill(kDay, Side::Buy, 100, 100.0);
  d.value(kDay);  // day 1 starts at 100000
  d.bar(2 * kDay, 97.0);
  d.value(2 * kDay);  // day 2 starts at day 1's last equity, 100000: a loss of 300
  CHECK(d.kills.empty());
  d.bar(2 * kDay + kSecond, 95.0);
  d.value(2 * kDay + kSecond);  // 500 below the day's start
  CHECK(d.kills == std::vector<Timestamp>{2 * kDay + kSecond});
  CHECK(d.guard->killed());
  d.bar(3 * kDay, 80.0);
  d.value(3 * kDay);
  CHECK(d.kills.size() == 1);
  CHECK(d.order(3 * kDay, Side::Sell, 100) == "kill switch: max_daily_loss reached, no new orders");
  REQUIRE(d.events.size() == 2);
  CHECK(d.events[0] ==
        "kill_switch: kill switch: the day's loss 500.00 reached live.risk.max_daily_loss 500: working orders "
        "cancelled, new orders refused");
  CHECK(d.events[1] == "risk: kill switch: max_daily_loss reached, no new orders");
}
