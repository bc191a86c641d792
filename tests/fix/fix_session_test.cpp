// The FIX session survives both ends going away: the venue killed mid-session
// (SIGKILL) and restarted on its store, and the client restarted on its own.
#include <signal.h>

#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "fix_test_support.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;
using live::ExecutionKind;

TEST_CASE("FixBroker loses no execution report when the venue is killed and restarted", "[fix]") {
  TempDir dir("fix-venue-kill");
  VenueProcess venue((dir / "venue").string(), venue_args(100, true));
  fix::FixBroker broker(venue_session(venue, (dir / "client").string()));
  broker.start();
  REQUIRE(broker.connected());
  broker.submit(order("A", Side::Buy, 10));
  broker.submit(order("B", Side::Buy, 20, OrderType::Limit, 17.30));
  broker.submit(order("C", Side::Sell, 10, OrderType::Limit, 19.20));  // 2009-04-02 at the earliest
  Reports reports(broker);
  REQUIRE(reports.until([](const Reports& r) { return r.has("A", ExecutionKind::Fill); }));

  venue.kill_now(SIGKILL);
  REQUIRE(eventually([&] { return !broker.connected(); }));
  // Sent while the venue is down: stored, and delivered by the resend after the logon.
  broker.submit(order("E", Side::Buy, 5));
  venue.restart();
  REQUIRE(broker.wait_until_connected(std::chrono::seconds(10)));
  REQUIRE(reports.until([](const Reports& r) {
    return r.has("B", ExecutionKind::Fill) && r.has("C", ExecutionKind::Fill) && r.has("E", ExecutionKind::Fill);
  }));

  // Every fill the venue logged arrived once (the log may repeat one the
  // venue sent just before it died: its exec id is the same).
  std::set<std::string> logged;
  for (const auto& row : csv_rows(venue.store() + "/fills.csv")) logged.insert(row.at(0));
  std::map<std::string, int> received;
  for (const auto& e : reports.all)
    if (e.kind == ExecutionKind::Fill) ++received[e.exec_id];
  std::set<std::string> received_ids;
  for (const auto& [id, n] : received) {
    CHECK(n == 1);
    received_ids.insert(id);
  }
  CHECK(received_ids.size() == 4);
  CHECK(received_ids == logged);
  // Each order reached the venue once, E through the resend.
  std::vector<std::string> order_ids;
  for (const auto& row : csv_rows(venue.store() + "/orders.csv")) order_ids.push_back(row.at(0));
  CHECK(order_ids == std::vector<std::string>{"A", "B", "C", "E"});
  CHECK(broker.sequence_numbers().first > 5);
}

TEST_CASE("A restarted FixBroker resumes the session and reads the venue's orders and positions", "[fix]") {
  TempDir dir("fix-client-restart");
  VenueProcess venue((dir / "venue").string(), venue_args(100, true));
  const auto session = venue_session(venue, (dir / "client").string());
  std::pair<int, int> before;
  std::string working_id;
  double fill_price = 0;
  {
    fix::FixBroker broker(session);
    broker.start();
    REQUIRE(broker.connected());
    broker.submit(order("W1", Side::Buy, 100, OrderType::Limit, 10.0));
    broker.submit(order("P1", Side::Buy, 50));
    Reports reports(broker);
    REQUIRE(reports.until([](const Reports& r) {
      return r.has("W1", ExecutionKind::New) && r.has("P1", ExecutionKind::Fill);
    }));
    working_id = reports.find("W1", ExecutionKind::New)->broker_order_id;
    fill_price = reports.find("P1", ExecutionKind::Fill)->last_price;
    before = broker.sequence_numbers();
    broker.stop();
  }

  fix::FixBroker broker(session);
  broker.start();
  REQUIRE(broker.connected());
  // From the store: our Logout and Logon since, and the venue's two answers
  // (and any heartbeat between the count and the logout).
  const auto after_logon = broker.sequence_numbers();
  CHECK(after_logon.first >= before.first + 2);
  CHECK(after_logon.second >= before.second + 2);

  const live::BrokerState state = broker.request_state(std::chrono::seconds(5));
  REQUIRE(state.open_orders.size() == 1);
  const auto& w = state.open_orders[0];
  CHECK(w.client_order_id == "W1");
  CHECK(w.broker_order_id == working_id);
  CHECK(w.kind == ExecutionKind::Status);
  CHECK(w.symbol == "ORCL");
  CHECK(w.side == Side::Buy);
  CHECK(w.order_quantity == 100);
  CHECK(w.leaves_quantity == 100);
  CHECK(w.cumulative_quantity == 0);
  REQUIRE(state.positions.size() == 1);
  CHECK(state.positions[0].symbol == "ORCL");
  CHECK(state.positions[0].quantity == 50);
  CHECK(state.positions[0].average_price == fill_price);
  CHECK(std::isnan(state.cash));

  // The order learnt from the state can be cancelled.
  broker.cancel("W1");
  Reports reports(broker);
  REQUIRE(reports.until([](const Reports& r) { return r.has("W1", ExecutionKind::Cancelled); }));
  const live::BrokerState after = broker.request_state(std::chrono::seconds(5));
  CHECK(after.open_orders.empty());
  REQUIRE(after.positions.size() == 1);
  CHECK(after.positions[0].quantity == 50);
}
