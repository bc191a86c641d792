// ctx:modify_order (docs/execution.md "Modifying an order"): in the
// backtest's simulated execution, with exact figures; through the paper venue
// (Broker::replace), the backtest's fills byte for byte; a malformed call
// fails the run naming the script's line.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>

#include "file_text.hpp"
#include "live_cli_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader::test;
namespace fs = std::filesystem;

namespace {

// The modifies' answers: each order's replaced update (quantity, status) and each refusal.
std::string answers_of(const fs::path& run, const std::string& limit = "") {
  return query_text(run / "events.sqlite",
              "SELECT type, json_extract(data, '$.order_id'), json_extract(data, '$.status'), "
              "json_extract(data, '$.reason') FROM events WHERE (type = 'order_update' AND "
              "json_extract(data, '$.reason') = 'replaced') OR (type = 'order_rejected' AND "
              "json_extract(data, '$.reason') LIKE 'modify refused%') ORDER BY seq " + limit);
}

}  // namespace

TEST_CASE("ctx:modify_order in the backtest: a limit buy raised and enlarged fills at the next open",
          "[live][modify]") {
  TempDir tmp("modify");
  const auto r = run_shell_captured(live_command("run", "orcl_modify.yaml", (tmp / "run").string(), "-q"));
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto dir = only_run_in(tmp / "run");
  // Order 1: a limit buy at 90% of 1995-01-03's close; on 1995-01-06 (close
  // 2.117284) raised to 2% over it, 150 shares; filled on 1995-01-09 at that
  // bar's open, 2.135803 (0.1% commission). On 1995-01-10 a modify of it,
  // filled by then, is refused.
  CHECK(query_text(dir / "events.sqlite",
             "SELECT time, json_extract(data, '$.order_id'), json_extract(data, '$.quantity'), "
             "json_extract(data, '$.limit_price') FROM events WHERE type = 'modify_order' ORDER BY seq LIMIT 2") ==
        "1995-01-06|1|150|2.15962968\n1995-01-10|1|10|\n");
  CHECK(answers_of(dir, "LIMIT 2") ==
        "order_update|1|accepted|replaced\n"
        "order_rejected|1||modify refused: order 1 is not a working order of this strategy\n");
  CHECK(lines_of(file_text(dir / "fills.csv"))[1] == "1995-01-09,modify_probe,ORCL,1,buy,150,2.135803,0.32037045000000003");
  // Over 1995-1999: 58 modifies taken, 61 refused, 2 modified orders never reached and cancelled.
  CHECK(query_text(dir / "events.sqlite",
             "SELECT type, COUNT(*) FROM events WHERE (type = 'order_update' AND json_extract(data, '$.reason') IN "
             "('replaced', 'cancelled by strategy')) OR (type = 'order_rejected' AND json_extract(data, '$.reason') "
             "LIKE 'modify refused%') GROUP BY type, json_extract(data, '$.reason') = 'replaced' ORDER BY 1, 2") ==
        "order_rejected|61\norder_update|2\norder_update|58\n");
  CHECK(lines_of(file_text(dir / "fills.csv")).size() == 123);
}

TEST_CASE("ctx:modify_order through the paper venue: Broker::replace gives the backtest's fills byte for byte",
          "[live][modify]") {
  TempDir tmp("modify-venue");
  REQUIRE(run_shell(live_command("run", "orcl_modify.yaml", (tmp / "run").string(), "-q")).status == 0);
  const auto live = run_shell_captured(live_command("live", "orcl_modify.yaml", (tmp / "live").string(), "-q"));
  INFO(live.err);
  REQUIRE(live.status == 0);
  const auto run_dir = only_run_in(tmp / "run"), live_dir = only_run_in(tmp / "live");
  check_same_results(live_dir, run_dir);
  CHECK(answers_of(live_dir) == answers_of(run_dir));
  // Each replace reached the venue; the refused modifies never left the engine.
  CHECK(query_text(live_dir / "paper_broker.sqlite", "SELECT COUNT(*) FROM inputs WHERE kind = 'replace'") ==
        query_text(run_dir / "events.sqlite", "SELECT COUNT(*) FROM events WHERE type = 'order_update' AND "
                                        "json_extract(data, '$.reason') = 'replaced'"));
}

TEST_CASE("a malformed ctx:modify_order fails the run naming the script line", "[live][modify]") {
  TempDir tmp("modify-bad");
  const auto r = run_shell_captured(live_command("run", "modify_bad.yaml", (tmp / "run").string(), "-q"));
  CHECK(r.status == 1);
  CHECK(r.err.find("modify_bad.lua:6: ctx:modify_order: quantity must be a finite number > 0, got -5") !=
        std::string::npos);
}
