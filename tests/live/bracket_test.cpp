// Brackets behind the broker adapter (docs/live.md "Brackets"): the same
// bracket strategy through the paper venue makes the backtest's orders and
// fills, and a kill -9 between an entry's fill and its exit's submit sends
// that exit once, after the restart.
#include <SQLiteCpp/SQLiteCpp.h>

#include <catch2/catch.hpp>

#include "file_text.hpp"
#include "live_cli_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader::test;
namespace fs = std::filesystem;

namespace {

// Bracket exits are numbered as the backtest's execution numbers them: from 2^40.
const std::string kExit = "order_id >= 1099511627776";

// What a run decided: its orders (id, side, quantity, type, prices), and its
// first cancellations with their reasons.
std::string orders_of(const fs::path& run) {
  return query_text(run / "events.sqlite",
              "SELECT json_extract(data, '$.order_id'), json_extract(data, '$.side'), json_extract(data, '$.quantity'), "
              "json_extract(data, '$.order_type'), json_extract(data, '$.stop_price'), "
              "json_extract(data, '$.limit_price'), json_extract(data, '$.parent_id') FROM events WHERE type = 'order' "
              "ORDER BY 1");
}
std::string cancels_of(const fs::path& run) {
  return query_text(run / "events.sqlite",
              "SELECT json_extract(data, '$.reason'), COUNT(*) FROM events WHERE type = 'order_update' AND "
              "json_extract(data, '$.status') = 'cancelled' GROUP BY 1 ORDER BY 1 LIMIT 3");
}

// Kills the session at `point` (QTRADER_LIVE_KILL_AT), checks what is on
// disk (`on_disk`: sends|exits on record|fills|the venue's submits), resumes
// it, and checks that each order reached the venue once and the session ends
// with the backtest's results.
void crash_and_resume(const std::string& point, const std::string& on_disk) {
  TempDir tmp("bracket-crash");
  REQUIRE(run_shell(live_command("run", "orcl_brackets.yaml", (tmp / "run").string(), "-q")).status == 0);
  const auto killed = run_shell_captured("QTRADER_LIVE_KILL_AT=" + point + " " +
                                         live_command("live", "orcl_brackets.yaml", (tmp / "live").string(), "-q") +
                                         "; echo status=$?");
  CHECK(killed.out == "status=137\n");
  const fs::path dir = only_run_in(tmp / "live"), state = dir / "live_state.sqlite",
                 venue = dir / "paper_broker.sqlite";
  CHECK(query_text(state, "SELECT (SELECT COUNT(*) FROM sends), (SELECT COUNT(*) FROM orders WHERE " + kExit +
                        "), (SELECT COUNT(*) FROM fills)") +
            query_text(venue, "SELECT COUNT(*) FROM inputs WHERE kind = 'submit'") ==
        on_disk);

  const auto resumed = run_shell_captured(live_command("live", "orcl_brackets.yaml", (tmp / "live").string(),
                                                       "--resume " + dir.string() + " -q"));
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  // Each client order id sent once across both processes, and the venue got each once.
  CHECK(query_text(state, "SELECT COUNT(*) = COUNT(DISTINCT client_order_id) FROM sends") == "1\n");
  CHECK(query_text(state, "SELECT COUNT(*), COUNT(DISTINCT client_order_id) FROM sends") ==
        query_text(venue, "SELECT COUNT(*), COUNT(DISTINCT id) FROM inputs WHERE kind = 'submit'"));
  CHECK(query_text(state, "SELECT substr(text, instr(text, ';') + 2) FROM live_events WHERE type = 'resume'") ==
        "0 orders sent again (must be 0)\n");
  const fs::path run_dir = only_run_in(tmp / "run");
  check_same_results(dir, run_dir);
  CHECK(orders_of(dir) == orders_of(run_dir));
}

}  // namespace

TEST_CASE("brackets through the paper venue: the backtest's orders and fills byte for byte", "[live][bracket]") {
  TempDir tmp("brackets");
  REQUIRE(run_shell(live_command("run", "orcl_brackets.yaml", (tmp / "run").string(), "-q")).status == 0);
  const auto live = run_shell_captured(live_command("live", "orcl_brackets.yaml", (tmp / "live").string(), "-q"));
  INFO(live.err);
  REQUIRE(live.status == 0);
  const auto run_dir = only_run_in(tmp / "run"), live_dir = only_run_in(tmp / "live");
  check_same_results(live_dir, run_dir);
  // The same orders, exits included (ids, sizes, prices, parents), and the
  // same one-cancels-other cancellations: 150 entries, each with two exits,
  // one filled and the other cancelled (73 stops, 77 take-profits).
  CHECK(orders_of(live_dir) == orders_of(run_dir));
  CHECK(cancels_of(live_dir) == cancels_of(run_dir));
  CHECK(cancels_of(run_dir) == "one-cancels-other: order 1099511627777 filled|1\n"
                               "one-cancels-other: order 1099511627778 filled|1\n"
                               "one-cancels-other: order 1099511627781 filled|1\n");
  CHECK(query_text(live_dir / "events.sqlite",
             "SELECT json_extract(data, '$.status'), COUNT(*) FROM events WHERE type = 'order_update' AND "
             "json_extract(data, '$.order_id') >= 1099511627776 AND json_extract(data, '$.status') IN "
             "('filled', 'cancelled') GROUP BY 1 ORDER BY 1") == "cancelled|150\nfilled|150\n");
  CHECK(query_text(run_dir / "events.sqlite", "SELECT json_extract(data, '$.status'), COUNT(*) FROM events WHERE type = "
                                        "'order_update' AND json_extract(data, '$.order_id') >= 1099511627776 AND "
                                        "json_extract(data, '$.status') IN ('filled', 'cancelled') GROUP BY 1 "
                                        "ORDER BY 1") == "cancelled|150\nfilled|150\n");
  int stops = 0, profits = 0;
  for (const auto& line : lines_of(file_text(run_dir / "trades.csv"))) {
    stops += line.find(",stop_loss,") != std::string::npos;
    profits += line.find(",take_profit,") != std::string::npos;
  }
  CHECK(stops == 73);
  CHECK(profits == 77);
  // Every exit went to the venue once, as a plain stop (2) or limit (1), persisted first.
  const auto state = live_dir / "live_state.sqlite", venue = live_dir / "paper_broker.sqlite";
  CHECK(query_text(state, "SELECT COUNT(*), COUNT(DISTINCT client_order_id) FROM sends") ==
        query_text(venue, "SELECT COUNT(*), COUNT(DISTINCT id) FROM inputs WHERE kind = 'submit'"));
  CHECK(query_text(state, "SELECT COUNT(*) FROM sends WHERE client_order_id IN (SELECT client_order_id FROM orders WHERE " +
                        kExit + ")") == "300\n");
  // Client order ids are <session>-<order id>.
  const std::string id_of = "CAST(substr(id, " + std::to_string(live_dir.filename().string().size() + 2) + ") AS INTEGER)";
  CHECK(query_text(venue, "SELECT type, COUNT(*) FROM inputs WHERE kind = 'submit' AND " + id_of +
                        " >= 1099511627776 GROUP BY type ORDER BY type") == "1|150\n2|150\n");
}

TEST_CASE("kill -9 between a bracket entry's fill and its exits' submit: the exits are sent once after the restart",
          "[live][bracket][crash]") {
  // On disk: the entry sent (and filled at the venue); its fill applied but
  // not committed, no exit anywhere. The restart gets the fill from the
  // venue again and sends both exits then.
  crash_and_resume("bracket-exit", "1|0|0\n1\n");
}

TEST_CASE("kill -9 between a bracket's two exits: the second is sent once after the restart",
          "[live][bracket][crash]") {
  // On disk: the entry, its fill and the stop exit, committed and sent
  // before the stop went out; the take-profit nowhere. The replay makes it
  // again; it is sent once the broker is started.
  crash_and_resume("bracket-exit:2", "2|1|1\n2\n");
}
