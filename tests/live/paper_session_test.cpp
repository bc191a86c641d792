// `qtrader paper` against `qtrader run` on the same bars: real processes, real files.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>

#include "file_text.hpp"
#include "live_cli_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader::test;

namespace {

std::string query_text(const std::filesystem::path& db, const std::string& sql) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(d, sql);
  std::string out;
  while (q.executeStep()) {
    for (int c = 0; c < q.getColumnCount(); ++c) out += (c ? "|" : "") + q.getColumn(c).getString();
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("same strategy same decisions: paper at max speed writes the backtest's fills byte for byte",
          "[live][paper]") {
  TempDir tmp("paper");
  REQUIRE(run_shell(live_command("run", "orcl_paper.yaml", (tmp / "run").string(), "-q")).status == 0);
  const auto paper = run_shell_captured(live_command("paper", "orcl_paper.yaml", (tmp / "paper").string(), "-q"));
  INFO(paper.err);
  REQUIRE(paper.status == 0);
  const auto run_dir = only_run_in(tmp / "run"), paper_dir = only_run_in(tmp / "paper");
  CHECK(paper.out == paper_dir.string() + "\n");
  for (const char* f : {"fills.csv", "trades.csv", "equity.csv", "positions.csv"}) {
    INFO(f);
    CHECK(file_text(paper_dir / f) == file_text(run_dir / f));
  }
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
  for (const char* f : {"fills.csv", "trades.csv", "equity.csv", "positions.csv"}) {
    INFO(f);
    CHECK(file_text(live_dir / f) == file_text(run_dir / f));
  }
  // Each order sent once through Broker::submit, each persisted before it was sent.
  const auto state = live_dir / "live_state.sqlite";
  CHECK(query_text(state, "SELECT COUNT(*), COUNT(DISTINCT client_order_id) FROM sends") == "195|195\n");
  CHECK(query_text(state, "SELECT status, COUNT(*) FROM orders GROUP BY status") == "filled|195\n");
}
