// `qtrader paper` against `qtrader run` on the same bars: real processes, real files.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>

#include "file_text.hpp"
#include "live_cli_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader::test;

TEST_CASE("same strategy same decisions: paper at max speed writes the backtest's fills byte for byte",
          "[live][paper]") {
  TempDir tmp("paper");
  REQUIRE(run_shell(live_command("run", "orcl_paper.yaml", (tmp / "run").string(), "-q")).status == 0);
  const auto paper = run_shell_captured(live_command("paper", "orcl_paper.yaml", (tmp / "paper").string(), "-q"));
  INFO(paper.err);
  REQUIRE(paper.status == 0);
  const auto run_dir = only_run_in(tmp / "run"), paper_dir = only_run_in(tmp / "paper");
  CHECK(paper.out == paper_dir.string() + "\n");
  check_same_results(paper_dir, run_dir);
  // 195 orders, each filled: 98 entries and 97 exits, the last position open.
  CHECK(lines_of(file_text(paper_dir / "fills.csv")).size() == 196);
  const auto state = paper_dir / "live_state.sqlite";
  CHECK(query_text(state, "SELECT status, COUNT(*) FROM orders GROUP BY status") == "filled|195\n");
  CHECK(query_text(state, "SELECT COUNT(*), COUNT(DISTINCT client_order_id) FROM sends") == "195|195\n");
  CHECK(query_text(state, "SELECT client_order_id FROM orders WHERE order_id = 1") ==
        paper_dir.filename().string() + "-1\n");
  CHECK(query_text(state, "SELECT COUNT(*) FROM fills") == "195\n");
  CHECK(query_text(state, "SELECT symbol, quantity FROM positions") == "ORCL|100.0\n");
  // The session's record is a run's: the runs row, and `qtrader report` reads the folder.
  CHECK(query_text(paper_dir / "events.sqlite", "SELECT status FROM runs") == "completed\n");
  CHECK(run_shell(std::string(QTRADER_BINARY) + " report " + paper_dir.string() + " >/dev/null 2>&1").status == 0);
}

TEST_CASE("an unknown key in live: is an error naming the file line and key", "[live][config]") {
  TempDir tmp("live-config");
  const auto r = run_shell_captured(live_command("paper", "bad_key.yaml", (tmp / "out").string()));
  CHECK(r.status == 2);
  CHECK(r.err == "error: " + live_fixture("bad_key.yaml") +
                     ":13: key 'live.feed.sped': unknown key 'sped' (expected one of: kind, speed, "
                     "stale_after_seconds); did you mean 'speed'?\n");
  CHECK(!std::filesystem::exists(tmp / "out"));
}

TEST_CASE("live risk max_position refuses every entry of the session", "[live][risk]") {
  TempDir tmp("live-risk");
  const auto r = run_shell_captured(live_command("paper", "risk_limits.yaml", (tmp / "out").string(), "-q"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto dir = only_run_in(tmp / "out");
  // No fills; the 98 entry signals (those of the backtest's 98 entries, since
  // with no position each cross up signals) refused with the limit's reason.
  CHECK(lines_of(file_text(dir / "fills.csv")).size() == 1);
  CHECK(query_text(dir / "events.sqlite",
                   "SELECT COUNT(*), json_extract(data, '$.reason') FROM events WHERE type = 'order_rejected' "
                   "GROUP BY 2") == "98|live.risk.max_position: ORCL would hold 100 (limit 50)\n");
  CHECK(query_text(dir / "live_state.sqlite", "SELECT type, COUNT(*) FROM live_events GROUP BY type") ==
        "risk|98\n");
}

TEST_CASE("paper_venue through the broker adapter writes the backtest's fills byte for byte", "[live][broker]") {
  TempDir tmp("venue");
  REQUIRE(run_shell(live_command("run", "orcl_venue.yaml", (tmp / "run").string(), "-q")).status == 0);
  const auto live = run_shell_captured(live_command("live", "orcl_venue.yaml", (tmp / "live").string(), "-q"));
  INFO(live.err);
  REQUIRE(live.status == 0);
  const auto run_dir = only_run_in(tmp / "run"), live_dir = only_run_in(tmp / "live");
  check_same_results(live_dir, run_dir);
  // Each order sent once through Broker::submit, each persisted before it was sent.
  const auto state = live_dir / "live_state.sqlite";
  CHECK(query_text(state, "SELECT COUNT(*), COUNT(DISTINCT client_order_id) FROM sends") == "195|195\n");
  CHECK(query_text(state, "SELECT status, COUNT(*) FROM orders GROUP BY status") == "filled|195\n");
  // Fills are kept under the venue's exec ids (the paper venue's second report of each order: New, then Fill).
  CHECK(query_text(state, "SELECT COUNT(*) FROM fills WHERE exec_id = client_order_id || '-2'") == "195\n");
}

TEST_CASE("live risk max_daily_loss trips the kill switch once and every later order is refused", "[live][risk]") {
  TempDir tmp("kill-switch");
  const auto r = run_shell_captured(live_command("paper", "kill_switch.yaml", (tmp / "out").string(), "-q"));
  REQUIRE(r.status == 0);
  const auto dir = only_run_in(tmp / "out");
  // The first entry fills (1995-05-12); the first day it loses $1 or more
  // trips the switch; the position is never closed: each of the 97 later
  // exit signals (the backtest's 97 exits) is refused.
  CHECK(lines_of(file_text(dir / "fills.csv")).size() == 2);
  CHECK(query_text(dir / "live_state.sqlite", "SELECT type, COUNT(*) FROM live_events GROUP BY type ORDER BY type") ==
        "kill_switch|1\nrisk|97\n");
  CHECK(query_text(dir / "events.sqlite",
                   "SELECT COUNT(*), json_extract(data, '$.reason') FROM events WHERE type = 'order_rejected' "
                   "GROUP BY 2") == "97|kill switch: max_daily_loss reached, no new orders\n");
  CHECK(query_text(dir / "live_state.sqlite", "SELECT text FROM live_events WHERE type = 'kill_switch'") ==
        "kill switch: the day's loss 8.33 reached live.risk.max_daily_loss 1: working orders cancelled, new "
        "orders refused\n");
  CHECK(r.err.find("E live: kill switch: the day's loss 8.33") != std::string::npos);
}

TEST_CASE("paper_venue takes market-on-close and trailing-stop orders through the adapter: the backtest's fills",
          "[live][broker]") {
  TempDir tmp("venue-orders");
  REQUIRE(run_shell(live_command("run", "orcl_venue_orders.yaml", (tmp / "run").string(), "-q")).status == 0);
  const auto live = run_shell_captured(live_command("live", "orcl_venue_orders.yaml", (tmp / "live").string(), "-q"));
  INFO(live.err);
  REQUIRE(live.status == 0);
  const auto run_dir = only_run_in(tmp / "run"), live_dir = only_run_in(tmp / "live");
  check_same_results(live_dir, run_dir);
  const auto state = live_dir / "live_state.sqlite";
  const auto sent = query_text(state, "SELECT COUNT(*) FROM sends");
  CHECK(sent == query_text(live_dir / "paper_broker.sqlite", "SELECT COUNT(*) FROM inputs WHERE kind = 'submit'"));
  // Both kinds reached the venue: MOC (type 5) entries and trailing stops (4) with their percent.
  CHECK(query_text(live_dir / "paper_broker.sqlite",
                   "SELECT type, COUNT(*) > 5, MIN(trail_percent) FROM inputs WHERE kind = 'submit' GROUP BY type "
                   "ORDER BY type") == "4|1|5.0\n5|1|\n");
}
