// Futures beyond the contract terms (docs/futures.md): the roll's fills carry
// their origin, value targets and risk policies size by notional, working
// orders move to the new contract at a roll, variation margin settles into
// cash at each session's close, and the metrics' exposure is the notional.
// Every figure is worked out by hand in the comments.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "csv_table.hpp"
#include "data/futures_terms.hpp"
#include "engine/replay.hpp"
#include "portfolio/portfolio.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/time.hpp"
#include "qtrader/results.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

const std::string kFixtures = std::string(QTRADER_FIXTURES_DIR) + "/futures";

void write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  std::filesystem::create_directories((dir / name).parent_path());
  std::ofstream(dir / name) << text;
}

// One contract XXH24: multiplier 10, initial margin 1000, maintenance 800.
const char* kXxContracts =
    "roots:\n  XX:\n    multiplier: 10\n    margin: {initial: 1000, maintenance: 800}\n"
    "    roll: {rule: calendar, days_before_expiry: 2}\n    contracts:\n      XXH24: {expiry: 2024-03-15}\n";

// Runs the probe on XXH24 over `bars` with `equity`, the probe's `config`
// and, when given, a risk policy.
RunResult run_xx(const test::TempDir& dir, const std::string& bars, double equity, const std::string& config,
                 const std::string& risk = "") {
  write(dir, "contracts.yaml", kXxContracts);
  write(dir, "data/XXH24.csv", "Date,Open,High,Low,Close,Volume\n" + bars);
  write(dir, "system.yaml", "execution: {commission: {model: fixed, amount: 0}}\n"
                            "output: {organize_by_date: false}\nlogging: {level: error, file: false}\n");
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-12-31\ninitial_equity: " + std::to_string(equity) +
            "\nscript_paths: [" + kFixtures + "]\n"
            "data: {sources: [{name: x, path: data, layout: ohlcv, contracts: contracts.yaml, universe: [XXH24]}]}\n"
            "strategies: [{strategy_id: hold, name: futures_probe, universe: [XXH24], config: " + config + "}]\n" +
            risk);
  return test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
}

const char* kFlatBars =
    "2024-01-02,100,100,100,100,1000\n2024-01-03,100,101,99,100,1000\n2024-01-04,100,100,100,100,1000\n";

// Falls to a margin call at 01-08's close (tests/futures/futures_test.cpp).
const char* kFallingBars =
    "2024-01-02,100,100,100,100,1000\n2024-01-03,100,100,95,95,1000\n2024-01-04,95,95,75,75,1000\n"
    "2024-01-05,75,75,70,70,1000\n2024-01-08,70,70,68,68,1000\n2024-01-09,66,67,65,67,1000\n"
    "2024-01-10,67,67,60,60,1000\n";

double bought(const RunResult& run) {
  const test::CsvTable fills = test::read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == 1);
  CHECK(fills.at(0, "timestamp") == "2024-01-03");
  return fills.num(0, "quantity");
}

nlohmann::json summary_of(const RunResult& run) {
  std::ifstream in(run.results_dir + "/summary.json");
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("Value targets and risk policies size a future by its notional with the multiplier") {
  test::TempDir dir("futures");
  // At 100 a contract of multiplier 10 is worth 1000: 25000 buys 25, not 250.
  CHECK(bought(run_xx(dir, kFlatBars, 100000, "{target_value: 25000}")) == 25);
  // Half of 100000 of equity: 50 contracts.
  CHECK(bought(run_xx(dir, kFlatBars, 100000, "{target_percent: 0.5}")) == 50);
  // fixed_fraction: 0.3 x 100000 = 30000 of notional, 30 contracts; a future
  // spends no cash, so the cash cap does not cut it.
  CHECK(bought(run_xx(dir, kFlatBars, 100000, "{policy_sized: true}",
                      "risk_policy: {name: fixed_fraction, config: {fraction: 0.3}}\n")) == 30);
  // max_weight 0.3: the same 30 contracts, then the position is at its cap.
  CHECK(bought(run_xx(dir, kFlatBars, 100000, "{policy_sized: true}",
                      "risk_policy: {name: max_weight, config: {max_weight: 0.3}}\n")) == 30);
}

TEST_CASE("Variation margin settles a future's P&L into cash at each close") {
  test::TempDir dir("futures");
  // One contract bought at 01-03's open (100). Each close pays 10 x the move
  // since the last mark into cash: 95 (-50), 75 (-200), 70 (-50), 68 (-20:
  // equity 780 < 800, the margin call of futures_test.cpp); sold at 01-09's
  // open 66 settles the rest, 10 x (66 - 68) = -20.
  const RunResult run = run_xx(dir, kFallingBars, 1100, "{quantity: 1}");
  const test::CsvTable equity = test::read_csv(run.results_dir + "/equity.csv");
  const std::vector<double> cash{1100, 1050, 850, 800, 780, 760, 760};
  REQUIRE(equity.rows.size() == cash.size());
  for (std::size_t i = 0; i < cash.size(); ++i) {
    CHECK(equity.num(i, "cash") == cash[i]);
    CHECK(equity.num(i, "equity") == cash[i]);  // nothing left unsettled at a close
  }
  // The notional exposure: 1 x 10 x close while held.
  CHECK(equity.num(1, "gross_exposure") == 950);
  CHECK(equity.num(1, "net_exposure") == 950);
  CHECK(equity.num(4, "net_exposure") == 680);
  CHECK(equity.num(5, "net_exposure") == 0);
  // The round trip is the whole move: 10 x (66 - 100).
  const test::CsvTable trades = test::read_csv(run.results_dir + "/trades.csv");
  REQUIRE(trades.rows.size() == 1);
  CHECK(trades.num(0, "gross_pnl") == -340);
  CHECK(trades.at(0, "exit_reason") == "margin_call");
  // The liquidation's fill carries its origin, and the multiplier.
  const test::CsvTable fills = test::read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == 2);
  CHECK(fills.at(0, "origin") == "");
  CHECK(fills.at(1, "origin") == "margin_call");
  CHECK(fills.num(1, "multiplier") == 10);
  CHECK(summary_of(run).at("final_cash") == 760.0);
  CHECK(replay_run(run.results_dir).identical);

  // The metrics read the notional: 01-03's net exposure is 950 of 1050 of
  // equity (not equity - cash, which settlement makes 0), and the turnover
  // counts 10 x (100 + 66) of notional over the mean equity 6100 / 7.
  const Metrics m = compute_metrics(run.results_dir);
  REQUIRE(m.daily.size() == 7);
  CHECK(m.daily[1].net_exposure == 950.0 / 1050.0);
  CHECK(m.daily[4].net_exposure == 680.0 / 780.0);
  CHECK(m.trades.turnover == 1660.0 / (6100.0 / 7.0));
}

TEST_CASE("A working order on the old contract moves to the new one at each roll") {
  test::TempDir dir("futures");
  write(dir, "system.yaml",
        "execution: {fill_policy: next_bar_open, commission: {model: per_share, rate: 2.25}}\n"
        "output: {organize_by_date: false}\nlogging: {level: error, file: false}\n");
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-12-31\ninitial_equity: 1000000\n"
        "script_paths: [" + kFixtures + "]\n"
        "data: {sources: [{name: cme, path: " + kFixtures + "/data, layout: ohlcv, contracts: " + kFixtures +
        "/contracts.yaml, universe: [ES]}]}\n"
        "strategies: [{strategy_id: hold, name: futures_probe, universe: [ES], config: {quantity: 2, limit: 3000}}]\n");
  // Every event keeps its contract (contracts/): the fills' `origin`, the
  // moved orders' `moved_from`.
  RunOptions ro = test::quiet_run_options();
  ro.output_dir = (dir / "out").string();
  ro.validate_events = true;
  const RunResult run = test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), ro);
  SQLite::Database db(run.results_dir + "/events.sqlite");
  // The buy limit at 3000 rests on ESH24; at 03-06's close (the first roll,
  // difference-adjusted by 63.25) it is cancelled and placed on ESM24 at
  // 3063.25; at 06-12's (56.75) on ESU24 at 3120. Same quantity, same signal.
  SQLite::Statement q(db,
                      "SELECT time, symbol, data FROM events WHERE type = 'order' AND data LIKE '%limit_price%' "
                      "ORDER BY seq");
  std::vector<std::tuple<std::string, std::string, nlohmann::json>> orders;
  while (q.executeStep())
    orders.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString(),
                        nlohmann::json::parse(q.getColumn(2).getString()));
  REQUIRE(orders.size() == 3);
  CHECK(std::get<1>(orders[0]) == "ES");  // the strategy's order, which execution routes to ESH24
  CHECK(std::get<2>(orders[0]).at("limit_price") == 3000.0);
  CHECK(std::get<0>(orders[1]).substr(0, 10) == "2024-03-06");
  CHECK(std::get<1>(orders[1]) == "ESM24");
  CHECK(std::get<2>(orders[1]).at("limit_price") == 3063.25);
  CHECK(std::get<2>(orders[1]).at("moved_from") == std::get<2>(orders[0]).at("order_id"));
  CHECK(std::get<0>(orders[2]).substr(0, 10) == "2024-06-12");
  CHECK(std::get<1>(orders[2]) == "ESU24");
  CHECK(std::get<2>(orders[2]).at("limit_price") == 3120.0);
  CHECK(std::get<2>(orders[2]).at("moved_from") == std::get<2>(orders[1]).at("order_id"));
  for (const auto& o : orders) {
    CHECK(std::get<2>(o).at("quantity") == 1.0);
    CHECK(std::get<2>(o).at("signal_id") == std::get<2>(orders[0]).at("signal_id"));
  }
  // The old orders were cancelled, naming their successors.
  SQLite::Statement c(db, "SELECT data FROM events WHERE type = 'order_update' AND data LIKE '%roll: moved%' ORDER BY seq");
  std::vector<std::string> reasons;
  while (c.executeStep()) reasons.push_back(nlohmann::json::parse(c.getColumn(0).getString()).at("reason"));
  REQUIRE(reasons.size() == 2);
  CHECK(reasons[0] == "roll: moved to the next contract as order " +
                          std::get<2>(orders[1]).at("order_id").dump());
  // Never reached: the held position's five fills are the only ones, and the
  // roll's four carry their origin in fills.csv and in the fill events.
  const test::CsvTable fills = test::read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == 5);
  SQLite::Statement f(db, "SELECT count(*) FROM events WHERE type = 'fill' AND data LIKE '%\"origin\":\"roll\"%'");
  REQUIRE(f.executeStep());
  CHECK(f.getColumn(0).getInt() == 4);
}

TEST_CASE("A bracket's exits move to the new contract as a pair at each roll") {
  test::TempDir dir("futures");
  write(dir, "system.yaml",
        "execution: {fill_policy: next_bar_open, commission: {model: per_share, rate: 2.25}}\n"
        "output: {organize_by_date: false}\nlogging: {level: error, file: false}\n");
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-12-31\ninitial_equity: 1000000\n"
        "script_paths: [" + kFixtures + "]\n"
        "data: {sources: [{name: cme, path: " + kFixtures + "/data, layout: ohlcv, contracts: " + kFixtures +
        "/contracts.yaml, universe: [ES]}]}\n"
        "strategies: [{strategy_id: hold, name: futures_probe, universe: [ES], "
        "config: {quantity: 2, stop_loss: 3000, take_profit: 9000}}]\n");
  RunOptions ro = test::quiet_run_options();
  ro.output_dir = (dir / "out").string();
  ro.validate_events = true;
  const RunResult run = test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), ro);
  SQLite::Database db(run.results_dir + "/events.sqlite");
  // The exits placed when the entry filled on ESH24 (stop 3000, target 9000)
  // move with the position: ESM24 at 3063.25 / 9063.25, ESU24 at 3120 / 9120.
  SQLite::Statement q(db, "SELECT symbol, data FROM events WHERE type = 'order' AND data LIKE '%parent_id%' ORDER BY seq");
  std::vector<std::string> got;
  while (q.executeStep()) {
    const auto d = nlohmann::json::parse(q.getColumn(1).getString());
    got.push_back(q.getColumn(0).getString() + " " + std::string(d.at("order_type")) + " " +
                  (d.contains("stop_price") ? d.at("stop_price").dump() : d.at("limit_price").dump()) + " " +
                  d.at("quantity").dump());
  }
  CHECK(got == std::vector<std::string>{"ESH24 stop 3000 2", "ESH24 limit 9000 2", "ESM24 stop 3063.25 2",
                                        "ESM24 limit 9063.25 2", "ESU24 stop 3120 2", "ESU24 limit 9120 2"});
  // Neither reached: the five fills of the held position, and the last pair
  // still works at the end (no cancel after the second roll's).
  CHECK(test::read_csv(run.results_dir + "/fills.csv").rows.size() == 5);
  SQLite::Statement c(db, "SELECT count(*) FROM events WHERE type = 'order_update' AND data LIKE '%cancelled%'");
  REQUIRE(c.executeStep());
  CHECK(c.getColumn(0).getInt() == 4);
}

namespace {

// One day of XXH24 (multiplier 10) on `bus`: its bar, then the valuation.
void day(EventBus& bus, const char* date, double close) {
  Bar bar;
  bar.ts = *parse_date(date);
  bar.symbol = 0;
  bar.open = bar.high = bar.low = bar.close = close;
  bus.publish(BarEvent{bar});
  bus.publish(ValuationTriggerEvent{bar.ts});
}

}  // namespace

TEST_CASE("A portfolio checkpoint keeps each lot's settlement mark and the open cost") {
  FuturesTerms terms;
  terms.by_symbol = {ContractTerms{true, false, 10.0, 1000.0, 800.0, 0.0}};
  terms.contracts.resize(1);
  terms.routes.resize(1);
  EventBus bus;
  Portfolio before(bus, 1100, 1, PortfolioConfig{}, nullptr, TimeZone{}, &terms);
  bus.publish(FillEvent{*parse_date("2024-01-02"), 1, 0, 0, Side::Buy, 1, 100, 0, 1});
  day(bus, "2024-01-02", 100);
  day(bus, "2024-01-03", 95);  // settles 10 x (95 - 100): cash 1050, the lot marked at 95
  REQUIRE(before.cash() == 1050);

  EventBus resumed_bus;
  Portfolio resumed(resumed_bus, 1100, 1, PortfolioConfig{}, nullptr, TimeZone{}, &terms);
  resumed.restore(before.snapshot());
  for (auto* b : {&bus, &resumed_bus}) {
    day(*b, "2024-01-04", 75);  // 10 x (75 - 95): cash 850
    // Sold at 70: the rest since the mark 75, 10 x (70 - 75); the round trip 10 x (70 - 100).
    b->publish(FillEvent{*parse_date("2024-01-05"), 2, 0, 0, Side::Sell, 1, 70, 0, 1});
  }
  for (const Portfolio* p : {&before, &resumed}) {
    CHECK(p->cash() == 800);
    CHECK(p->equity() == 800);
    REQUIRE(p->closed_trades().size() == 1);
    CHECK(p->closed_trades()[0].gross_pnl == -300);
  }
}
