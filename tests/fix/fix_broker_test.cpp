// FixBroker against the test venue (a real qtrader_fix_venue process on
// 127.0.0.1): orders of every type, a cancel, a reject, the fills' prices
// checked against the fixture by the venue's documented rules (docs/fix.md).
#include <signal.h>

#include <optional>
#include <thread>

#include <catch2/catch.hpp>

#include "fix/fix_order_mapping.hpp"
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
  REQUIRE(reports.until([](const Reports& r) { return r.has("X1", ExecutionKind::CancelRejected); }));
  CHECK(reports.find("X1", ExecutionKind::CancelRejected)->text ==
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

TEST_CASE("FixBroker: the venue fills in parts and the reports carry cumulative and leaves quantities exactly",
          "[fix][partial]") {
  TempDir dir("fix-partial");
  auto args = venue_args(60, true);
  args.insert(args.end(), {"--max-fill", "40"});
  VenueProcess venue((dir / "venue").string(), args);
  fix::FixBroker broker(venue_session(venue, (dir / "client").string()));
  broker.start();
  REQUIRE(broker.connected());
  const auto bars = orcl_bars();
  broker.submit(order("M1", Side::Buy, 100));
  broker.submit(order("D1", Side::Sell, 100, OrderType::Limit, 1.0, kNaN, TimeInForce::Day));  // fills at the open
  broker.submit(order("F1", Side::Buy, 100, OrderType::Market, kNaN, kNaN, TimeInForce::FOK));

  Reports reports(broker);
  REQUIRE(reports.until([](const Reports& r) {
    return r.has("M1", ExecutionKind::Fill) && r.has("D1", ExecutionKind::Expired) && r.has("F1", ExecutionKind::Expired);
  }));
  // M1: 40, 40 and 20 at the opens of three bars running.
  std::vector<const live::BrokerExecution*> parts;
  for (const auto& e : reports.all)
    if (e.client_order_id == "M1" && (e.kind == ExecutionKind::PartialFill || e.kind == ExecutionKind::Fill))
      parts.push_back(&e);
  REQUIRE(parts.size() == 3);
  const Timestamp first = reports.find("M1", ExecutionKind::New)->transact_time;
  std::size_t k = 0;
  while (bars[k].ts != first) ++k;
  const double quantities[] = {40, 40, 20};
  double cumulative = 0, notional = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("part " << i);
    cumulative += quantities[i];
    notional += quantities[i] * bars[k + i].open;
    CHECK(parts[i]->kind == (i < 2 ? ExecutionKind::PartialFill : ExecutionKind::Fill));
    CHECK(parts[i]->exec_id == parts[i]->broker_order_id + "-fill-" + std::to_string(i + 1));
    CHECK(parts[i]->transact_time == bars[k + i].ts);
    CHECK(parts[i]->last_quantity == quantities[i]);
    CHECK(parts[i]->last_price == bars[k + i].open);
    CHECK(parts[i]->cumulative_quantity == cumulative);
    CHECK(parts[i]->leaves_quantity == 100 - cumulative);
    CHECK(parts[i]->average_price == fix::parse_fix_number(fix::fix_number(notional / cumulative)));
    CHECK(parts[i]->state == (i < 2 ? live::BrokerOrderState::Working : live::BrokerOrderState::Filled));
  }
  // A day order: 40 on its bar, the rest expires on it. A FOK that one bar cannot fill whole: expired unfilled.
  const auto* d_fill = reports.find("D1", ExecutionKind::PartialFill);
  REQUIRE(d_fill != nullptr);
  CHECK(d_fill->last_quantity == 40);
  CHECK(d_fill->leaves_quantity == 60);
  CHECK(reports.find("D1", ExecutionKind::Expired)->cumulative_quantity == 40);
  CHECK(reports.find("D1", ExecutionKind::Expired)->leaves_quantity == 0);
  CHECK_FALSE(reports.has("F1", ExecutionKind::PartialFill));
  CHECK(reports.find("F1", ExecutionKind::Expired)->cumulative_quantity == 0);

  // The venue's answers to OrderStatusRequest (35=H).
  const auto status = broker.order_status({"M1", "D1", "F1", "never-sent"}, std::chrono::seconds(5));
  REQUIRE(status.size() == 4);
  CHECK(status[0].kind == ExecutionKind::Status);
  CHECK(status[0].state == live::BrokerOrderState::Filled);
  CHECK(status[0].cumulative_quantity == 100);
  CHECK(status[0].average_price == parts[2]->average_price);
  CHECK(status[1].state == live::BrokerOrderState::Expired);
  CHECK(status[1].cumulative_quantity == 40);
  CHECK(status[2].state == live::BrokerOrderState::Expired);
  CHECK(status[2].cumulative_quantity == 0);
  CHECK(status[3].client_order_id == "never-sent");
  CHECK(status[3].state == live::BrokerOrderState::Unknown);
  CHECK(status[3].text == "unknown order never-sent");
  // The venue's log: each part once.
  const auto fills = csv_rows(venue.store() + "/fills.csv");
  REQUIRE(fills.size() == 4);
  CHECK(fills[0][4] == "40");
  broker.stop();
}

TEST_CASE("FixBroker: a fill report lost with its process is made good by an order status request",
          "[fix][status]") {
  TempDir dir("fix-lost");
  VenueProcess venue((dir / "venue").string(), venue_args(60, true));
  const std::string store = (dir / "client").string();
  {
    fix::FixBroker first(venue_session(venue, store));
    first.start();
    REQUIRE(first.connected());
    first.submit(order("LOST1", Side::Buy, 100));
    // New and Fill reach the session (its store counts them) and are never
    // polled: the process that took them is gone before it used them.
    REQUIRE(eventually([&] { return csv_rows(venue.store() + "/fills.csv").size() == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    first.stop();
  }
  REQUIRE(csv_rows(venue.store() + "/fills.csv").size() == 1);
  const double price = std::stod(csv_rows(venue.store() + "/fills.csv")[0][5]);

  fix::FixBroker second(venue_session(venue, store));
  second.start();
  REQUIRE(second.connected());
  Reports reports(second);
  reports.until([](const Reports&) { return false; }, std::chrono::milliseconds(300));
  CHECK_FALSE(reports.has("LOST1", ExecutionKind::Fill));  // no resend: the session had them
  const auto status = second.order_status({"LOST1"}, std::chrono::seconds(5));
  REQUIRE(status.size() == 1);
  CHECK(status[0].state == live::BrokerOrderState::Filled);
  CHECK(status[0].cumulative_quantity == 100);
  CHECK(status[0].leaves_quantity == 0);
  CHECK(status[0].average_price == price);
  CHECK(status[0].symbol == "ORCL");
  second.stop();
}

TEST_CASE("FixBroker replaces working orders (35=G) and the venue expires a GTD order at its ExpireTime",
          "[fix][replace]") {
  TempDir dir("fix-replace");
  VenueProcess venue((dir / "venue").string(), venue_args(60, true));
  fix::FixBroker broker(venue_session(venue, (dir / "client").string()));
  broker.start();
  REQUIRE(broker.connected());
  const auto bars = orcl_bars();
  broker.submit(order("L1", Side::Buy, 100, OrderType::Limit, 10.0));   // far below the market
  broker.submit(order("S1", Side::Sell, 50, OrderType::Stop, kNaN, 5.0));  // far below the market
  auto gtd = order("G1", Side::Buy, 100, OrderType::Limit, 10.0, kNaN, TimeInForce::GTD);
  gtd.expire_at = bars.at(6).ts;  // expires on the 7th bar of the fixture
  broker.submit(gtd);
  Reports reports(broker);
  REQUIRE(reports.until([](const Reports& r) {
    return r.has("L1", ExecutionKind::New) && r.has("S1", ExecutionKind::New) && r.has("G1", ExecutionKind::New);
  }));

  // L1: 100 at 10 becomes 60 at 30 (above the market: it fills at the next open).
  live::BrokerReplace up;
  up.quantity = 60;
  up.limit_price = 30;
  broker.replace("L1", up);
  // S1: a smaller size, the stop unchanged, then cancelled under its new ClOrdID.
  live::BrokerReplace smaller;
  smaller.quantity = 20;
  broker.replace("S1", smaller);
  REQUIRE(reports.until([](const Reports& r) {
    return r.has("L1", ExecutionKind::Replaced) && r.has("S1", ExecutionKind::Replaced);
  }));
  const auto* replaced = reports.find("L1", ExecutionKind::Replaced);
  CHECK(replaced->order_quantity == 60);
  CHECK(replaced->limit_price == 30);
  CHECK(replaced->leaves_quantity == 60);
  CHECK(replaced->exec_id == replaced->broker_order_id + "-replaced-1");
  CHECK(reports.find("S1", ExecutionKind::Replaced)->stop_price == 5.0);
  CHECK(reports.find("S1", ExecutionKind::Replaced)->order_quantity == 20);
  broker.cancel("S1");
  REQUIRE(reports.until([](const Reports& r) {
    return r.has("L1", ExecutionKind::Fill) && r.has("S1", ExecutionKind::Cancelled) && r.has("G1", ExecutionKind::Expired);
  }));
  const auto* fill = reports.find("L1", ExecutionKind::Fill);
  CHECK(fill->last_quantity == 60);
  CHECK(fill->cumulative_quantity == 60);
  CHECK(fill->last_price == bar_at(bars, fill->transact_time).open);
  CHECK(fill->transact_time >= replaced->transact_time);
  CHECK(reports.find("S1", ExecutionKind::Cancelled)->order_quantity == 20);
  // G1 expires on the first bar opening at its ExpireTime.
  CHECK(reports.find("G1", ExecutionKind::Expired)->transact_time == bars.at(6).ts);

  // A replace of a filled order, and of a market order: refused with the venue's reason.
  broker.replace("L1", up);
  REQUIRE(reports.until([](const Reports& r) { return r.has("L1", ExecutionKind::CancelRejected); }));
  CHECK(reports.find("L1", ExecutionKind::CancelRejected)->text ==
        "replace rejected: too late to replace: the order is no longer working");
  CHECK_THROWS_WITH(broker.replace("never-sent", up), Catch::Contains("cannot replace order never-sent"));
  // The venue's log holds each order once, as first sent.
  const auto logged = csv_rows(venue.store() + "/orders.csv");
  REQUIRE(logged.size() == 3);
  CHECK(logged[2][7] == "6");
  broker.stop();
}
