// The round-two ctx methods as the binding sees them: emit_signal's order
// fields and returned id, record, cancel, history/value argument checks and
// on_order's event table. The engine-side semantics are tested in tests/strategies.
#include <catch2/catch.hpp>

#include "lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/strategy_script.hpp"
#include "qtrader/time.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::string probe() { return std::string(QTRADER_FIXTURES_DIR) + "/strategies/api_probe.lua"; }

const Bar kBar = make_bar(0, 86'400'000'000'000LL, 10.0, 12.0, 9.5, 11.0, 1500);

struct Probe {
  ScriptHost host;
  TestStrategyContext ctx;
  std::unique_ptr<StrategyScript> script;
  explicit Probe(const std::string& mode) {
    ctx.clock = kBar.ts;
    script = std::make_unique<StrategyScript>(host, probe(), ctx, ParamMap{{"mode", string_param(mode, 1)}});
    script->on_init();
  }
  ~Probe() { script.reset(); }
  std::string error_of_bar() {
    try {
      script->on_bar(kBar);
    } catch (const ScriptError& e) {
      return e.what();
    }
    return "";
  }
};

}  // namespace

TEST_CASE("emit_signal carries order fields and returns the signal id", "[lua][api]") {
  Probe p("emit");
  p.script->on_bar(kBar);
  REQUIRE(p.ctx.signals.size() == 1);
  const OrderSpec& o = p.ctx.signals[0].order;
  CHECK(o.type == OrderType::Limit);
  CHECK(o.limit_price == 10.5);
  CHECK(o.tif == TimeInForce::GTD);  // an expiry alone means good-till-date
  CHECK(o.expiry == *parse_date("2020-01-31"));
  REQUIRE(p.ctx.records.size() == 1);
  CHECK(p.ctx.records[0] == std::pair<std::string, double>{"id", 1.0});  // the test context numbers from 1

  Probe t("trailing");
  t.script->on_bar(kBar);
  CHECK(t.ctx.signals.at(0).order.type == OrderType::TrailingStop);
  CHECK(t.ctx.signals.at(0).order.trail_percent == 5);
  CHECK(t.ctx.signals.at(0).order.tif == TimeInForce::Day);

  Probe n("expiry_ns");
  n.script->on_bar(kBar);
  CHECK(n.ctx.signals.at(0).order.expiry == kBar.ts + 86'400'000'000'000LL);
}

TEST_CASE("emit_signal rejects malformed order fields with the script's line", "[lua][api]") {
  CHECK_THAT(Probe("bad_type").error_of_bar(),
             Catch::Contains("api_probe.lua:18:") && Catch::Contains("order_type must be \"market\""));
  CHECK_THAT(Probe("bad_tif").error_of_bar(), Catch::Contains("tif must be \"gtc\", \"day\", \"ioc\", \"fok\" or \"gtd\""));
  CHECK_THAT(Probe("bad_expiry").error_of_bar(), Catch::Contains("expiry must be \"YYYY-MM-DD\""));
  CHECK_THAT(Probe("bad_limit").error_of_bar(), Catch::Contains("limit_price must be a finite number"));
}

TEST_CASE("record and cancel reach the context", "[lua][api]") {
  Probe r("record");
  r.script->on_bar(kBar);
  REQUIRE(r.ctx.records.size() == 2);
  CHECK(r.ctx.records[0] == std::pair<std::string, double>{"spread", 1.0});
  CHECK(r.ctx.record_symbols[0] == kNoSymbol);
  CHECK(r.ctx.records[1] == std::pair<std::string, double>{"px", 11.0});
  CHECK(r.ctx.record_symbols[1] == 1);  // "BBB"
  CHECK_THAT(Probe("bad_record").error_of_bar(), Catch::Contains("ctx:record: value must be a number"));

  Probe c("cancel");
  c.script->on_bar(kBar);
  CHECK(c.ctx.cancels == std::vector<OrderId>{42});
  CHECK_THAT(Probe("bad_cancel").error_of_bar(), Catch::Contains("ctx:cancel: order_id must be an integer"));
}

TEST_CASE("history refills a given table, bad fields and negative ago are errors", "[lua][api]") {
  Probe h("history");
  h.script->on_bar(kBar);
  // The test context holds no bars: the given table is emptied and returned.
  REQUIRE(h.ctx.records.size() == 3);
  CHECK(h.ctx.records[0].second == 0);
  CHECK(h.ctx.records[1].second == 1);
  CHECK(std::isnan(h.ctx.records[2].second));
  CHECK_THAT(Probe("bad_ago").error_of_bar(), Catch::Contains("ctx:value: ago must be an integer in [0, 999999]"));
}

TEST_CASE("an explicit nil optional argument means its default, as in luaL_opt", "[lua][api][nil]") {
  Probe p("nil_defaults");
  p.script->on_bar(kBar);
  using Call = std::pair<std::string, std::vector<double>>;
  // Trailing nils are left out; a nil before a given number takes the kind's default.
  CHECK(p.ctx.indicator_calls == std::vector<Call>{{"obv", {}}, {"macd", {12, 30}}, {"sma", {3}}});
  REQUIRE(p.ctx.records.size() == 5);
  CHECK(p.ctx.records[0].first == "ind");
  CHECK(std::isnan(p.ctx.records[0].second));  // value(nil, nil) is value(0, 1): not ready yet
  CHECK(p.ctx.records[1].first == "value");     // value(sym, field, nil) is ago 0
  CHECK(p.ctx.records[2] == std::pair<std::string, double>{"history", 0.0});
  CHECK(p.ctx.records[3] == std::pair<std::string, double>{"random", 1.0});  // math.random(1, nil) is math.random(1)
  CHECK(p.ctx.records[4] == std::pair<std::string, double>{"sym", 1.0});
  CHECK(p.ctx.record_symbols[4] == kNoSymbol);

  // A nil past the kind's arguments has no default to take.
  CHECK_THAT(Probe("nil_past_args").error_of_bar(), Catch::Contains("takes at most 1 argument, got 3"));
}

TEST_CASE("on_order gets a table with what the event has", "[lua][api]") {
  Probe p("none");
  OrderNotice accepted;
  accepted.status = "accepted";
  accepted.signal_id = 7;
  accepted.order_id = 3;
  accepted.symbol = 0;
  accepted.has_side = true;
  accepted.side = Side::Sell;
  accepted.quantity = 250;
  p.script->on_order(accepted);
  OrderNotice rejected;
  rejected.status = "rejected";
  rejected.signal_id = 8;
  rejected.reason = "signal refused: emitted during warm-up";
  p.script->on_order(rejected);
  OrderNotice cancelled;
  cancelled.status = "cancelled";
  cancelled.signal_id = 7;
  cancelled.order_id = 3;
  cancelled.filled_quantity = 100;
  cancelled.remaining_quantity = 150;
  cancelled.reason = "cancelled by the strategy";
  p.script->on_order(cancelled);

  using R = std::pair<std::string, double>;
  CHECK(p.ctx.records == std::vector<R>{{"accepted", 7}, {"order_id", 3}, {"quantity", 250},
                                        {"rejected", 8},
                                        {"cancelled", 7}, {"order_id", 3}, {"filled", 100}});
  REQUIRE(p.ctx.logs.size() == 3);
  CHECK_THAT(p.ctx.logs[0].second, Catch::EndsWith("side: sell"));
  CHECK_THAT(p.ctx.logs[1].second, Catch::EndsWith("reason: signal refused: emitted during warm-up"));
  CHECK_THAT(p.ctx.logs[2].second, Catch::EndsWith("reason: cancelled by the strategy"));
}
