// kill -9 of `qtrader live` trading through the FIX venue, then `--resume`:
// the order that was working is recovered, the fill the venue made while
// the engine was down is applied once, the positions are the venue's and no
// client order id reaches the venue twice (docs/live.md "State that survives
// a crash"). The venue's clock runs on while no client is logged on.
#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "fix_live_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;
namespace fs = std::filesystem;

namespace {

// The venue's fills of `client_order_id` (fills.csv rows).
std::size_t venue_fills_of(const VenueProcess& venue, const std::string& client_order_id) {
  std::size_t n = 0;
  for (const auto& row : csv_rows(venue.store() + "/fills.csv"))
    if (row.at(1) == client_order_id) ++n;
  return n;
}

// The venue's positions of `account`, nonzero, "SYMBOL QTY" per line.
std::string venue_positions(const VenueProcess& venue, const std::string& account) {
  std::ifstream in(venue.store() + "/book.json");
  const auto book = nlohmann::json::parse(in);
  std::string out;
  if (book.contains("positions") && book["positions"].contains(account))
    for (const auto& [symbol, p] : book["positions"][account].items())
      if (p.at("quantity").get<double>() != 0) out += fmt::format("{} {}\n", symbol, p.at("quantity").get<double>());
  return out;
}

std::string engine_positions(const fs::path& state) {
  return sql_lines(state, "SELECT symbol || ' ' || printf('%g', quantity) FROM positions WHERE quantity != 0 ORDER BY symbol");
}

}  // namespace

TEST_CASE("kill -9 of qtrader live at the FIX venue then --resume: the fill made while it was down is applied once",
          "[fix][crash]") {
  TempDir dir("fix-crash");
  VenueProcess venue((dir / "venue").string(),
                     {"--data", "ORCL=" + fix_fixture("live/ORCL.csv"), "--interval-ms", "30", "--free-clock"});
  write_fix_session_files(dir.path(), venue.port());
  const Crashed crashed = crash_with_working_order(dir.path(), dir / "live", venue);
  const std::string after = " AND seq > " + std::to_string(crashed.events);
  const fs::path session = crashed.session, state = session / "live_state.sqlite";
  const std::string working = crashed.working;
  const std::int64_t accepted = sql_count(state, "SELECT COUNT(*) FROM orders WHERE status = 'accepted'");
  const std::int64_t positions_before = sql_count(state, "SELECT COUNT(*) FROM positions WHERE quantity != 0");
  // The market goes on without the engine: the venue fills the order.
  REQUIRE(eventually([&] { return venue_fills_of(venue, working) == 1; }));
  CHECK(sql_count(state, "SELECT COUNT(*) FROM fills WHERE client_order_id = '" + working + "'") == 0);

  const auto resumed = run_shell_captured(fix_session_command(dir.path(), "live", "--resume " + session.string() + " -q"));
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  CHECK(resumed.out == session.string() + "\n");

  // The journal's rebuild matched the committed state (the order working, if
  // its acceptance was committed);
  // the venue, once the fill it made meanwhile was applied, agrees.
  const std::string events =
      sql_lines(state, "SELECT text FROM live_events WHERE type IN ('reconciliation', 'recovery')" + after + " ORDER BY seq");
  CHECK(events.rfind(fmt::format("state matches the broker: {} positions, {} working orders\n"
                                 "the fix QTRADER->VENUE@127.0.0.1:{} broker agrees: ",
                                 positions_before, accepted, venue.port()),
                     0) == 0);
  CHECK(events.find("0 working orders\n") != std::string::npos);
  CHECK(sql_lines(state, "SELECT substr(text, instr(text, ';') + 2) FROM live_events WHERE type = 'resume'" + after) ==
        "0 orders sent again (must be 0)\n");
  // The order's fill, applied once: by the venue's report resent after the
  // logon, or (when the kill lost a report already received) from the
  // venue's answer to the order status request.
  CHECK(sql_count(state, "SELECT COUNT(*) FROM fills WHERE client_order_id = '" + working + "'") == 1);
  CHECK(sql_lines(state, "SELECT status FROM orders WHERE client_order_id = '" + working + "'") == "filled\n");

  // Every share the venue filled is the engine's, once; the positions are the venue's.
  std::map<std::string, double> venue_filled, engine_filled;
  for (const auto& row : csv_rows(venue.store() + "/fills.csv")) venue_filled[row.at(1)] += std::stod(row.at(4));
  SQLite::Database db(state.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT client_order_id, quantity FROM fills");
  while (q.executeStep()) engine_filled[q.getColumn(0).getString()] += q.getColumn(1).getDouble();
  CHECK(engine_filled == venue_filled);
  CHECK(venue_filled.size() >= 3);
  CHECK(engine_positions(state) == venue_positions(venue, "QTRADER"));

  // No client order id reached the venue twice; each is one the engine sent.
  const auto orders = csv_rows(venue.store() + "/orders.csv");
  std::set<std::string> ids;
  for (const auto& row : orders) ids.insert(row.at(0));
  CHECK(ids.size() == orders.size());
  CHECK(static_cast<std::int64_t>(orders.size()) == sql_count(state, "SELECT COUNT(*) FROM sends"));
  CHECK(sql_count(state, "SELECT COUNT(DISTINCT client_order_id) FROM sends") ==
        static_cast<std::int64_t>(orders.size()));
  CHECK(sql_lines(session / "events.sqlite", "SELECT status FROM runs") == "completed\n");
}
