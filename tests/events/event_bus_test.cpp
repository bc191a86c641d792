#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "qtrader/event_bus.hpp"

using namespace qtrader;

TEST_CASE("handlers run in subscription order, nested publishes depth first", "[events][bus]") {
  EventBus bus;
  std::vector<std::string> log;
  bus.subscribe<ValuationTriggerEvent>([&](const ValuationTriggerEvent&) {
    log.push_back("a");
    bus.publish(RiskEvaluationTriggerEvent{0});
  });
  bus.subscribe<ValuationTriggerEvent>([&](const ValuationTriggerEvent&) { log.push_back("b"); });
  bus.subscribe<RiskEvaluationTriggerEvent>([&](const RiskEvaluationTriggerEvent&) { log.push_back("r"); });
  bus.publish(ValuationTriggerEvent{0});
  CHECK(log == std::vector<std::string>{"a", "r", "b"});
}

TEST_CASE("events of other types do not reach a handler", "[events][bus]") {
  EventBus bus;
  int bars = 0;
  bus.subscribe<BarEvent>([&](const BarEvent&) { ++bars; });
  bus.publish(ValuationTriggerEvent{0});
  CHECK(bars == 0);
  Bar b;
  bus.publish(BarEvent{b});
  CHECK(bars == 1);
}
