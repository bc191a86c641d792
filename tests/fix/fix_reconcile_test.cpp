// Reconciliation that acts (docs/live.md "Reconciliation policy"): while
// `qtrader live` is down, a desk trades the same account at the FIX venue by
// hand (a position and a working order the engine never made). On --resume,
// `live.reconcile: halt` refuses to trade and fails naming both mismatches;
// `adopt_broker` takes the venue's position and order, and the session ends
// with the venue's positions.
#include <filesystem>

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "fix_live_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;
using live::ExecutionKind;
namespace fs = std::filesystem;

namespace {

struct VenuePosition {
  double quantity = 0, average_price = 0;
};

VenuePosition venue_position(const VenueProcess& venue, const std::string& account, const std::string& symbol) {
  std::ifstream in(venue.store() + "/book.json");
  const auto book = nlohmann::json::parse(in);
  const auto& p = book.at("positions").at(account).at(symbol);
  return {p.at("quantity").get<double>(), p.at("average_price").get<double>()};
}

}  // namespace

TEST_CASE("a desk's trade at the venue while qtrader live is down: halt refuses it and adopt_broker takes it",
          "[fix][reconcile]") {
  TempDir dir("fix-reconcile");
  VenueProcess venue((dir / "venue").string(),
                     {"--data", "ORCL=" + fix_fixture("live/ORCL.csv"), "--interval-ms", "30", "--free-clock",
                      "--client", "QTRADER", "--client", "QTRADER-MD", "--client", "DESK"});
  write_fix_session_files(dir.path(), venue.port(), "  reconcile: halt\n", ", account: ACC1");
  const Crashed crashed = crash_with_working_order(dir.path(), dir / "live", venue);
  const fs::path session = crashed.session;
  const std::string after = " AND seq > " + std::to_string(crashed.events);
  const fs::path state = session / "live_state.sqlite";
  const std::int64_t positions_before = sql_count(state, "SELECT COUNT(*) FROM positions WHERE quantity != 0");
  const std::int64_t accepted = sql_count(state, "SELECT COUNT(*) FROM orders WHERE status = 'accepted'");

  // The desk: its own FIX session, the same account.
  {
    auto config = venue_session(venue, (dir / "desk").string(), "DESK");
    config.account = "ACC1";
    fix::FixBroker desk(config);
    desk.start();
    REQUIRE(desk.connected());
    desk.submit(order("DESK-1", Side::Buy, 50));
    desk.submit(order("DESK-2", Side::Buy, 10, OrderType::Limit, 1.0));  // far below the market: stays working
    Reports reports(desk);
    REQUIRE(reports.until([](const Reports& r) {
      return r.has("DESK-1", ExecutionKind::Fill) && r.has("DESK-2", ExecutionKind::New);
    }));
    desk.stop();
  }
  const std::size_t orders_at_venue = csv_rows(venue.store() + "/orders.csv").size();

  // halt: the session fails before it trades, naming both mismatches.
  const auto halted = run_shell_captured(fix_session_command(dir.path(), "live", "--resume " + session.string() + " -q"));
  const VenuePosition at_venue = venue_position(venue, "ACC1", "ORCL");
  const std::string position_mismatch =
      fmt::format("ORCL: position {} at the broker, {} in the engine", at_venue.quantity, at_venue.quantity - 50);
  CHECK(halted.status == 1);
  CHECK(halted.err.find(fmt::format("reconciliation with the broker: 2 mismatches (working order DESK-2 (buy 10 "
                                    "ORCL) at the broker, not in the engine; {}); live.reconcile is halt: no "
                                    "order was sent",
                                    position_mismatch)) != std::string::npos);
  CHECK(csv_rows(venue.store() + "/orders.csv").size() == orders_at_venue);
  CHECK(sql_lines(state, "SELECT text FROM live_events WHERE type = 'reconciliation'" + after + " ORDER BY seq") ==
        fmt::format("state matches the broker: {} positions, {} working orders\n"
                    "working order DESK-2 (buy 10 ORCL) at the broker, not in the engine\n{}\n",
                    positions_before, accepted, position_mismatch));
  CHECK(sql_count(state, "SELECT COUNT(*) FROM live_events WHERE type = 'correction'" + after) == 0);
  CHECK(sql_lines(session / "events.sqlite", "SELECT status FROM runs") == "failed\n");

  // adopt_broker: the venue's position and order are taken, and the session trades on.
  write_fix_session_files(dir.path(), venue.port(), "  reconcile: adopt_broker\n", ", account: ACC1");
  const auto adopted = run_shell_captured(fix_session_command(dir.path(), "live", "--resume " + session.string() + " -q"));
  INFO(adopted.err);
  REQUIRE(adopted.status == 0);
  // The correction is booked at the price the venue's average implies for
  // the 50 shares the engine lacks: the desk's own fill price.
  double desk_price = kNaN;
  for (const auto& row : csv_rows(venue.store() + "/fills.csv"))
    if (row.at(1) == "DESK-1") desk_price = std::stod(row.at(5));
  const std::string corrections =
      sql_lines(state, "SELECT text FROM live_events WHERE type = 'correction'" + after + " ORDER BY seq");
  const std::string booked = "ORCL: bought 50 at ";
  REQUIRE(corrections.rfind("adopted order DESK-2: its fills reach the portfolio\n" + booked, 0) == 0);
  const std::string price = corrections.substr(corrections.find(booked) + booked.size());
  CHECK(price.substr(price.find(' ')) == " booked to match the broker\n");
  CHECK(std::stod(price) == Approx(desk_price).epsilon(1e-9));
  // The engine's positions are the venue's at the end, and the desk's order
  // is still working there (on_stop cancels the strategy's own orders only).
  const VenuePosition end = venue_position(venue, "ACC1", "ORCL");
  CHECK(sql_lines(state, "SELECT printf('%g', quantity) FROM positions WHERE symbol = 'ORCL'") ==
        (end.quantity == 0 ? std::string() : fmt::format("{}\n", end.quantity)));
  std::ifstream in(venue.store() + "/book.json");
  const auto book = nlohmann::json::parse(in);
  for (const auto& o : book.at("orders"))
    if (o.at("client_order_id") == "DESK-2") CHECK(o.at("status") == "0");
  CHECK(sql_lines(session / "events.sqlite", "SELECT status FROM runs") == "completed\n");
}
