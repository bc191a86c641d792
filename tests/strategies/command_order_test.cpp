// Pins when commands raised inside callbacks take effect (a cancel in on_fill
// against a sibling that would fill on the same bar, a cancel in on_bar), as
// the strategy sees it (records.csv) and as the event store records it.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "run_backtest.hpp"
#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

// "date name value" per record, in order.
std::vector<std::string> record_lines(const RunResult& run) {
  const CsvTable t = read_csv(run.results_dir + "/records.csv");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    out.push_back(t.at(i, "timestamp") + " " + t.at(i, "name") + " " + t.at(i, "value"));
  return out;
}

// "type [order_id] [status] [record name]" per stored event other than bars,
// portfolio states and phase triggers, in seq order.
std::vector<std::string> trading_events(const RunResult& run) {
  SQLite::Database db(run.results_dir + "/events.sqlite");
  SQLite::Statement q(db,
                      "SELECT type, data FROM events WHERE type NOT IN ('portfolio_state',"
                      " 'backtest_start', 'backtest_end', 'valuation_trigger', 'risk_evaluation_trigger')"
                      " ORDER BY seq");
  std::vector<std::string> out;
  while (q.executeStep()) {
    const auto j = nlohmann::json::parse(q.getColumn(1).getString());
    std::string line = q.getColumn(0).getString();
    if (j.contains("order_id")) line += " " + std::to_string(j.at("order_id").get<long long>());
    if (j.contains("status")) line += " " + j.at("status").get<std::string>();
    if (j.contains("name")) line += " " + j.at("name").get<std::string>();
    out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_CASE("a cancel in on_fill stops a sibling filling on the same bar, a cancel in on_bar takes effect at once",
          "[strategies][commands]") {
  const RunResult run = run_fixture("command_order.yaml");
  const auto records = record_lines(run);
  // B (2) is cancelled inside A's (1) on_fill, before execution works B on
  // the same bar: only A fills. The strategy hears of B's cancellation after
  // on_fill returns, and of A's "filled" after that.
  CHECK(records == std::vector<std::string>{
                       "1995-01-03 accepted 1", "1995-01-03 accepted 2", "1995-01-03 accepted 3",
                       "1995-01-04 fill 1", "1995-01-04 after_cancel 2", "1995-01-04 cancelled 2",
                       "1995-01-04 filled 1", "1995-01-05 after_cancel 3", "1995-01-05 cancelled 3"});
  CHECK(run.summary.fills == 1);
  const auto events = trading_events(run);
  CHECK(events == std::vector<std::string>{
                      "signal", "signal", "signal",
                      "order 1", "order_update 1 accepted", "record accepted",
                      "order 2", "order_update 2 accepted", "record accepted",
                      "order 3", "order_update 3 accepted", "record accepted",
                      // The cancel raised inside on_fill runs once the fill's
                      // publication has returned (execution's command queue):
                      // after the rest of on_fill, before A's "filled".
                      "fill 1", "record fill", "cancel_request 2", "record after_cancel",
                      "order_update 2 cancelled", "record cancelled",
                      "order_update 1 filled", "record filled",
                      // Raised in on_bar, while execution is idle: runs at once.
                      "cancel_request 3", "order_update 3 cancelled", "record after_cancel",
                      "record cancelled"});
}

TEST_CASE("an order execution refuses at acceptance is rejected, never accepted first", "[strategies][commands]") {
  const RunResult run = run_backtest(kFixtures + "/strategies/system_leverage_cap.yaml",
                                     kFixtures + "/strategies/command_order.yaml",
                                     process_temp_dir().str());
  // The risk policy sizes each signal; execution refuses each order as it
  // arrives (portfolio.max_gross_leverage), so no order is ever accepted.
  CHECK(record_lines(run) == std::vector<std::string>{"1995-01-03 rejected 0", "1995-01-03 rejected 0",
                                                      "1995-01-03 rejected 0"});
  CHECK(run.summary.orders == 3);
  CHECK(run.summary.rejections == 3);
  CHECK(run.summary.fills == 0);
}
