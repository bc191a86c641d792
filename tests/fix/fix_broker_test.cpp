// FixBroker against the test venue (a real qtrader_fix_venue process on
// 127.0.0.1): orders of every type, a cancel, a reject, the fills' prices
// checked against the fixture by the venue's documented rules (docs/fix.md).
#include <signal.h>

#include <optional>

#include <catch2/catch.hpp>

#include "fix/fix_time.hpp"
#include "fix_test_support.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;
using live::ExecutionKind;

namespace {

// The bar and price at which the venue fills an order first eligible at
// `from` (docs/fix.md "The test venue"); nothing when no bar of the fixture does.
std::optional<std::pair<Timestamp, double>> expected_fill(const std::vector<FixtureBar>& bars, Timestamp from,
                                                          const live::BrokerOrder& o) {
  const bool buy = o.side == Side::Buy;
  bool triggered = false;
  for (const auto& b : bars) {
    if (b.ts < from) continue;
    const auto limit = [&]() -> std::optional<double> {
      if (buy ? b.open <= o.limit_price : b.open >= o.limit_price) return b.open;
      if (buy ? b.low <= o.limit_price : b.high >= o.limit_price) return o.limit_price;
      return std::nullopt;
    };
    const auto stop = [&]() -> std::optional<double> {
      if (buy ? b.open >= o.stop_price : b.open <= o.stop_price) return b.open;
      if (buy ? b.high >= o.stop_price : b.low <= o.stop_price) return o.stop_price;
      return std::nullopt;
    };
    std::optional<double> price;
    switch (o.type) {
      case OrderType::Market: price = b.open; break;
      case OrderType::Limit: price = limit(); break;
      case OrderType::Stop: price = stop(); break;
      case OrderType::StopLimit:
        if (triggered) {
          price = limit();
        } else if (const auto t = stop()) {
          triggered = true;
          if (buy ? *t <= o.limit_price : *t >= o.limit_price) price = t;
        }
        break;
      default: break;
    }
    if (price) return std::make_pair(b.ts, *price);
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("FixBroker fills market limit stop and stop-limit orders at the venue's prices", "[fix]") {
  TempDir dir("fix-broker");
  VenueProcess venue((dir / "venue").string(), venue_args(100, true));
  fix::FixBroker broker(venue_session(venue, (dir / "client").string()));
  broker.start();
  REQUIRE(broker.connected());
  const auto bars = orcl_bars();

  const std::vector<live::BrokerOrder> filling{
      order("M1", Side::Buy, 100),
      order("L1", Side::Buy, 100, OrderType::Limit, 17.30),
      order("S1", Side::Sell, 50, OrderType::Stop, kNaN, 17.80),
      order("SL1", Side::Buy, 10, OrderType::StopLimit, 18.70, 18.60),
  };
  for (const auto& o : filling) broker.submit(o);
  broker.submit(order("X1", Side::Buy, 100, OrderType::Limit, 10.0));
  broker.submit(order("D1", Side::Buy, 100, OrderType::Limit, 10.0, kNaN, TimeInForce::Day));
  auto unknown = order("R1", Side::Buy, 5);
  unknown.symbol = "ZZZZ";
  broker.submit(unknown);

  Reports reports(broker);
  REQUIRE(reports.until([](const Reports& r) {
    return r.has("M1", ExecutionKind::Fill) && r.has("L1", ExecutionKind::Fill) && r.has("S1", ExecutionKind::Fill) &&
           r.has("SL1", ExecutionKind::Fill) && r.has("X1", ExecutionKind::New) &&
           r.has("D1", ExecutionKind::Expired) && r.has("R1", ExecutionKind::Rejected);
  }));

  for (const auto& o : filling) {
    INFO(o.client_order_id);
    const auto* ack = reports.find(o.client_order_id, ExecutionKind::New);
    const auto* fill = reports.find(o.client_order_id, ExecutionKind::Fill);
    REQUIRE(ack != nullptr);
    const auto expected = expected_fill(bars, ack->transact_time, o);
    REQUIRE(expected.has_value());
    CHECK(fill->transact_time == expected->first);
    CHECK(fill->last_price == expected->second);
    CHECK(fill->last_quantity == o.quantity);
    CHECK(fill->cumulative_quantity == o.quantity);
    CHECK(fill->leaves_quantity == 0);
    CHECK(fill->order_quantity == o.quantity);
    CHECK(fill->symbol == "ORCL");
    CHECK(fill->side == o.side);
    CHECK(fill->broker_order_id == ack->broker_order_id);
    CHECK(fill->exec_id == ack->broker_order_id + "-fill");
    CHECK(ack->leaves_quantity == o.quantity);
    CHECK(std::isnan(ack->last_price));
  }
  // The first bar the test fills on, on a quiet machine: M1 at the first open.
  CHECK(reports.find("M1", ExecutionKind::Fill)->last_price ==
        bar_at(bars, reports.find("M1", ExecutionKind::New)->transact_time).open);
  // A day order that its first bar does not fill expires on that bar.
  CHECK(reports.find("D1", ExecutionKind::Expired)->transact_time ==
        reports.find("D1", ExecutionKind::New)->transact_time);
  const auto* rejected = reports.find("R1", ExecutionKind::Rejected);
  CHECK(rejected->text == "unknown symbol ZZZZ");
  CHECK(rejected->symbol == "ZZZZ");
  CHECK_FALSE(reports.has("R1", ExecutionKind::New));

  // Cancel a working order; a second cancel is too late.
  broker.cancel("X1");
  REQUIRE(reports.until([](const Reports& r) { return r.has("X1", ExecutionKind::Cancelled); }));
  CHECK(reports.find("X1", ExecutionKind::Cancelled)->leaves_quantity == 0);
  broker.cancel("X1");
  REQUIRE(reports.until([](const Reports& r) { return r.has("X1", ExecutionKind::Status); }));
  CHECK(reports.find("X1", ExecutionKind::Status)->text ==
        "cancel rejected: too late to cancel: the order is no longer working");
  CHECK_THROWS_WITH(broker.cancel("never-sent"), Catch::Contains("cannot cancel order never-sent"));
  CHECK_THROWS_WITH(broker.submit(order("T1", Side::Buy, 1, OrderType::TrailingStop)),
                    Catch::Contains("has no FIX 4.4 NewOrderSingle"));

  // Every NewOrderSingle reached the venue as sent (the last column, the
  // venue's time, is the bar in the making when it arrived: the ack's).
  auto logged = csv_rows(venue.store() + "/orders.csv");
  for (auto& row : logged) {
    REQUIRE(row.size() == 9);
    if (row[0] != "R1") CHECK(*fix::parse_fix_timestamp(row[8]) == reports.find(row[0], ExecutionKind::New)->transact_time);
    row.pop_back();
  }
  const std::vector<std::vector<std::string>> expected_log{
      {"M1", "ORCL", "1", "100", "1", "", "", "1"},      {"L1", "ORCL", "1", "100", "2", "17.3", "", "1"},
      {"S1", "ORCL", "2", "50", "3", "", "17.8", "1"},    {"SL1", "ORCL", "1", "10", "4", "18.7", "18.6", "1"},
      {"X1", "ORCL", "1", "100", "2", "10", "", "1"},     {"D1", "ORCL", "1", "100", "2", "10", "", "0"},
      {"R1", "ZZZZ", "1", "5", "1", "", "", "1"},
  };
  CHECK(logged == expected_log);
  broker.stop();
  CHECK_FALSE(broker.connected());
}
