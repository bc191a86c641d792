// Futures (docs/futures.md): contract terms, P&L with the multiplier, margin,
// and continuous contracts rolled by the engine. The generated fixtures
// (tests/fixtures/futures, made by make_contracts.py) hold three quarterly
// contracts of "ES"; the small hand-written files below make margin cases
// whose every figure can be checked by hand.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "config/contracts_config.hpp"
#include "csv_table.hpp"
#include "data/continuous_contract.hpp"
#include "engine/replay.hpp"
#include "expect_error.hpp"
#include "qtrader/data.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

const std::string kFixtures = std::string(QTRADER_FIXTURES_DIR) + "/futures";

void write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  std::filesystem::create_directories((dir / name).parent_path());
  std::ofstream(dir / name) << text;
}

const char* kSystem =
    "execution: {fill_policy: next_bar_open, commission: {model: per_share, rate: 2.25}}\n"
    "output: {organize_by_date: false}\n"
    "logging: {level: error, file: false}\n";

std::string es_backtest(const std::string& contracts, double equity, int quantity) {
  return "start_date: 2024-01-01\nend_date: 2024-12-31\ninitial_equity: " + std::to_string(equity) +
         "\nscript_paths: [" + kFixtures + "]\n"
         "data: {sources: [{name: cme, path: " + kFixtures + "/data, layout: ohlcv, contracts: " + contracts +
         ", universe: [ES]}]}\n"
         "strategies: [{strategy_id: hold, name: futures_probe, universe: [ES], config: {quantity: " +
         std::to_string(quantity) + "}}]\n";
}

RunResult run_in(const test::TempDir& dir, const std::string& backtest) {
  write(dir, "system.yaml", kSystem);
  write(dir, "bt.yaml", backtest);
  return test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
}

// The recorded values named `name` by date.
std::vector<std::pair<std::string, double>> records(const RunResult& run, const std::string& name) {
  const test::CsvTable t = test::read_csv(run.results_dir + "/records.csv");
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    if (t.at(i, "name") == name) out.emplace_back(t.at(i, "timestamp"), t.num(i, "value"));
  return out;
}

double record_on(const RunResult& run, const std::string& name, const std::string& date) {
  for (const auto& [d, v] : records(run, name))
    if (d == date) return v;
  FAIL("no record " << name << " on " << date);
  return 0;
}

nlohmann::json summary_of(const RunResult& run) {
  std::ifstream in(run.results_dir + "/summary.json");
  return nlohmann::json::parse(in);
}

std::vector<std::string> rejections(const RunResult& run) {
  SQLite::Database db(run.results_dir + "/events.sqlite");
  SQLite::Statement q(db, "SELECT data FROM events WHERE type = 'order_rejected' ORDER BY seq");
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(nlohmann::json::parse(q.getColumn(0).getString()).at("reason"));
  return out;
}

ContractBars contract_bars(const std::string& symbol, const DataSourceConfig& src) {
  ContractBars cb;
  cb.file = kFixtures + "/data/" + symbol + ".csv";
  auto stream = open_csv_stream(src, cb.file, 0, std::numeric_limits<Timestamp>::min(),
                                std::numeric_limits<Timestamp>::max());
  for (Bar b; stream->next(b);) cb.bars.push_back(b);
  return cb;
}

// The generated contracts with `activity` from their volume or open interest.
std::vector<ContractBars> es_contracts(bool open_interest) {
  DataSourceConfig src;
  src.layout = "ohlcv";
  src.columns = columns_for(src);
  DataSourceConfig oi = src;  // the OpenInterest column read as the volume, as the engine reads it
  oi.layout = "custom";
  oi.columns = columns_for(src);
  oi.columns.volume = 6;
  std::vector<ContractBars> out;
  for (const char* s : {"ESH24", "ESM24", "ESU24"}) {
    ContractBars cb = contract_bars(s, src);
    for (const Bar& b : contract_bars(s, open_interest ? oi : src).bars) cb.activity.push_back(b.volume);
    out.push_back(std::move(cb));
  }
  return out;
}

std::string day(Timestamp ts) { return format_date(ts); }

}  // namespace

TEST_CASE("The calendar rule rolls ES 8 days before each expiry and back-adjusts by difference") {
  const ContractsConfig cfg = load_contracts(kFixtures + "/contracts.yaml");
  const FuturesRootSpec& es = *cfg.find_root("ES");
  const ContinuousSeries s = build_continuous(es, es_contracts(false), TimeZone::utc());
  REQUIRE(s.rolls.size() == 2);
  // ESH24 expires Fri 2024-03-15: roll day Thu 03-07, decided at Wed 03-06's close.
  CHECK(day(s.rolls[0].decided) == "2024-03-06");
  CHECK(day(s.rolls[0].first_bar) == "2024-03-07");
  CHECK(s.rolls[0].old_close == 4712.50);  // ESH24.csv 2024-03-06
  CHECK(s.rolls[0].new_close == 4775.75);  // ESM24.csv 2024-03-06: gap 63.25
  // ESM24 expires Fri 06-21: roll day Thu 06-13.
  CHECK(day(s.rolls[1].decided) == "2024-06-12");
  CHECK(day(s.rolls[1].first_bar) == "2024-06-13");
  CHECK(s.rolls[1].old_close == 4568.75);
  CHECK(s.rolls[1].new_close == 4625.50);  // gap 56.75
  // Back-adjusted: ESH24's bars + 120 (63.25 + 56.75), ESM24's + 56.75, ESU24's raw.
  REQUIRE(s.bars.size() == 189);
  CHECK(day(s.bars.front().ts) == "2024-01-02");
  CHECK(s.bars.front().close == 4804.75 + 120.0);
  CHECK(s.bars.front().open == 4754.50 + 120.0);
  const auto on = [&](const std::string& d) {
    for (const Bar& b : s.bars)
      if (day(b.ts) == d) return b;
    FAIL("no bar on " << d);
    return Bar{};
  };
  CHECK(on("2024-03-06").close == 4712.50 + 120.0);
  CHECK(on("2024-03-07").close == 4799.25 + 56.75);   // ESM24 from here
  CHECK(on("2024-06-12").close == 4568.75 + 56.75);
  CHECK(on("2024-06-13").close == 4566.50);           // ESU24, raw
  CHECK(on("2024-06-13").volume == 338063);
  CHECK(day(s.bars.back().ts) == "2024-09-20");
  CHECK(s.bars.back().close == 4797.25);
}

TEST_CASE("The volume and open-interest rules roll on the first close the next contract leads") {
  const ContractsConfig cfg = load_contracts(kFixtures + "/contracts.yaml");
  FuturesRootSpec es = *cfg.find_root("ES");
  es.adjust = BackAdjust::None;
  es.roll = RollRule::Volume;
  const ContinuousSeries v = build_continuous(es, es_contracts(false), TimeZone::utc());
  REQUIRE(v.rolls.size() == 2);
  // 03-07: ESH24 396335 > ESM24 342868; 03-08: 337866 < 402669.
  CHECK(day(v.rolls[0].decided) == "2024-03-08");
  CHECK(day(v.rolls[0].first_bar) == "2024-03-11");
  // 06-14: ESM24 341815 < ESU24 400857.
  CHECK(day(v.rolls[1].decided) == "2024-06-14");
  CHECK(day(v.rolls[1].first_bar) == "2024-06-17");
  es.roll = RollRule::OpenInterest;
  const ContinuousSeries oi = build_continuous(es, es_contracts(true), TimeZone::utc());
  REQUIRE(oi.rolls.size() == 2);
  // 03-08: ESH24 700601 > ESM24 648338; 03-11: 579697 < 769097.
  CHECK(day(oi.rolls[0].decided) == "2024-03-11");
  CHECK(day(oi.rolls[0].first_bar) == "2024-03-12");
  // 06-17: ESM24 582868 < ESU24 770919 (ESM24's open interest led until 06-14).
  CHECK(day(oi.rolls[1].decided) == "2024-06-17");
  CHECK(day(oi.rolls[1].first_bar) == "2024-06-18");
  // Not adjusted: the series is each contract's own prices.
  for (const Bar& b : oi.bars)
    if (day(b.ts) == "2024-03-11") CHECK(b.close == 4750.50);  // ESH24 still
    else if (day(b.ts) == "2024-03-12") CHECK(b.close == 4766.00);  // ESM24
}

TEST_CASE("Ratio back-adjustment scales earlier segments by the roll's price ratio") {
  FuturesRootSpec root;
  root.root = "XX";
  root.roll = RollRule::Calendar;
  root.roll_days = 6;
  root.adjust = BackAdjust::Ratio;
  root.contracts = {{"XXF24", *parse_date("2024-01-10"), 0, {}}, {"XXG24", *parse_date("2024-02-10"), 0, {}}};
  const auto bar = [](const char* d, double o, double h, double l, double c) {
    Bar b;
    b.ts = *parse_date(d);
    b.open = o, b.high = h, b.low = l, b.close = c, b.volume = 1;
    return b;
  };
  std::vector<ContractBars> c(2);
  c[0].bars = {bar("2024-01-02", 78, 82, 76, 80), bar("2024-01-03", 80, 101, 79, 100), bar("2024-01-04", 100, 101, 99, 100)};
  c[1].bars = {bar("2024-01-02", 99, 103, 98, 100), bar("2024-01-03", 100, 126, 99, 125),
               bar("2024-01-04", 126, 130, 120, 128), bar("2024-01-05", 128, 129, 127, 128)};
  // Roll day 01-04 (6 days before 01-10): decided at 01-03, old 100, new 125: ratio 1.25.
  ContinuousSeries s = build_continuous(root, c, TimeZone::utc());
  REQUIRE(s.rolls.size() == 1);
  REQUIRE(s.bars.size() == 4);
  CHECK(s.bars[0].open == 97.5);
  CHECK(s.bars[0].high == 102.5);
  CHECK(s.bars[0].low == 95.0);
  CHECK(s.bars[0].close == 100.0);
  CHECK(s.bars[1].close == 125.0);
  CHECK(s.bars[2].close == 128.0);
  CHECK(s.bars[3].close == 128.0);
  root.adjust = BackAdjust::Difference;  // + 25
  s = build_continuous(root, c, TimeZone::utc());
  CHECK(s.bars[0].close == 105.0);
  CHECK(s.bars[1].close == 125.0);
  // A roll the next contract has no bar for is an error naming its file.
  c[1].file = "XXG24.csv";
  c[1].bars.erase(c[1].bars.begin() + 1);
  const auto e = test::expect_error<DataError>([&] { build_continuous(root, c, TimeZone::utc()); });
  CHECK(std::string(e.what()) ==
        "XXG24.csv:0: XXG24 has no bar on 2024-01-03: the roll from XXF24 is decided at 2024-01-03's close "
        "and traded at 2024-01-04's open, so both contracts need bars on both days");
}

TEST_CASE("Holding ES continuous trades each roll as two fills and counts P&L with the multiplier") {
  test::TempDir dir("futures");
  const RunResult run = run_in(dir, es_backtest(kFixtures + "/contracts.yaml", 1000000, 2));
  // Bought at 01-03's open of ESH24; each roll sells the old contract and buys
  // the new one at the roll day's open; per-contract commission 2.25.
  const test::CsvTable fills = test::read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == 5);
  const std::vector<std::vector<std::string>> expected{
      {"2024-01-03", "ESH24", "buy", "2", "4796.75"},
      {"2024-03-07", "ESH24", "sell", "2", "4706.75"},
      {"2024-03-07", "ESM24", "buy", "2", "4770"},
      {"2024-06-13", "ESM24", "sell", "2", "4563.75"},
      {"2024-06-13", "ESU24", "buy", "2", "4620.5"}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(fills.at(i, "timestamp") == expected[i][0]);
    CHECK(fills.at(i, "symbol") == expected[i][1]);
    CHECK(fills.at(i, "side") == expected[i][2]);
    CHECK(fills.at(i, "quantity") == expected[i][3]);
    CHECK(fills.at(i, "price") == expected[i][4]);
    CHECK(fills.at(i, "commission") == "4.5");
    CHECK(fills.at(i, "multiplier") == "50");
    CHECK(fills.at(i, "origin") == (i == 0 ? "" : "roll"));  // the roll's four legs say so
  }
  // Two round trips, closed by the rolls: 2 * 50 * (4706.75 - 4796.75) and
  // 2 * 50 * (4563.75 - 4770); the second opened by a roll too.
  const test::CsvTable trades = test::read_csv(run.results_dir + "/trades.csv");
  REQUIRE(trades.rows.size() == 2);
  CHECK(trades.at(0, "symbol") == "ESH24");
  CHECK(trades.num(0, "gross_pnl") == -9000.0);
  CHECK(trades.num(0, "net_pnl") == -9009.0);
  CHECK(trades.at(0, "exit_reason") == "roll");
  CHECK(trades.at(0, "tag") == "");
  CHECK(trades.at(1, "symbol") == "ESM24");
  CHECK(trades.num(1, "gross_pnl") == -20625.0);
  CHECK(trades.at(1, "tag") == "roll");
  CHECK(trades.at(1, "exit_reason") == "roll");
  // The strategy got every fill, rolls included, and held 2 of "ES" throughout.
  CHECK(records(run, "fill ESH24") == std::vector<std::pair<std::string, double>>{{"2024-01-03", 2}, {"2024-03-07", -2}});
  CHECK(records(run, "fill ESU24") == std::vector<std::pair<std::string, double>>{{"2024-06-13", 2}});
  // ... and on_fill's `origin` told it which were the roll's.
  CHECK(records(run, "roll fill ESH24") == std::vector<std::pair<std::string, double>>{{"2024-03-07", -2}});
  CHECK(records(run, "roll fill ESM24") ==
        std::vector<std::pair<std::string, double>>{{"2024-03-07", 2}, {"2024-06-13", -2}});
  CHECK(record_on(run, "position", "2024-03-06") == 2);
  CHECK(record_on(run, "position", "2024-03-07") == 2);
  CHECK(record_on(run, "position", "2024-09-20") == 2);
  // It saw the back-adjusted series: no jump at the roll.
  CHECK(record_on(run, "close", "2024-01-02") == 4924.75);
  CHECK(record_on(run, "close", "2024-06-13") == 4566.5);
  // Cash moves by P&L and commissions only (no notional); variation margin
  // settles the open P&L into it at every close, so at the last close cash
  // holds ESU24's open P&L too: 2 * 50 * (4797.25 - 4620.50) = 17675.
  const auto summary = summary_of(run);
  CHECK(summary.at("final_cash") == 1000000.0 - 9000.0 - 20625.0 - 22.5 + 17675.0);
  CHECK(summary.at("final_equity") == 1000000.0 - 9000.0 - 20625.0 - 22.5 + 17675.0);
  CHECK(summary.at("gross_pnl_closed") == -29625.0);
  const test::CsvTable equity = test::read_csv(run.results_dir + "/equity.csv");
  // 03-06's close: ESH24 at 4712.50, 2 * 50 * (4712.50 - 4796.75) = -8425, commission 4.5.
  // Settled: cash is the same; the exposure is the notional 2 * 50 * 4712.50.
  for (std::size_t i = 0; i < equity.rows.size(); ++i)
    if (equity.at(i, "timestamp") == "2024-03-06") {
      CHECK(equity.num(i, "equity") == 1000000.0 - 8425.0 - 4.5);
      CHECK(equity.num(i, "cash") == 1000000.0 - 8425.0 - 4.5);
      CHECK(equity.num(i, "gross_exposure") == 471250.0);
    }
  // positions.csv values the contracts at their notional: 2 * 50 * close.
  const test::CsvTable positions = test::read_csv(run.results_dir + "/positions.csv");
  CHECK(positions.at(0, "timestamp") == "2024-01-03");
  CHECK(positions.at(0, "symbol") == "ESH24");
  CHECK(positions.num(0, "market_value") == 2 * 50 * 4768.5);
  // The events alone rebuild the same files (the terms are in runs.settings).
  const ReplayOutcome replay = replay_run(run.results_dir);
  CHECK(replay.identical);
  CHECK(replay.report.find("identical") != std::string::npos);
}

TEST_CASE("A futures order beyond the initial margin is rejected with the figures") {
  test::TempDir dir("futures");
  // 2 contracts need 24000 of initial margin; equity 20000.
  const RunResult run = run_in(dir, es_backtest(kFixtures + "/contracts.yaml", 20000, 2));
  CHECK(rejections(run) ==
        std::vector<std::string>{"insufficient margin: need 24000.00 initial margin (2 contracts at 12000.00), "
                                 "equity 20000.00"});
  CHECK(summary_of(run).at("fills") == 0);
}

TEST_CASE("Equity below the maintenance margin at a close liquidates at the next open") {
  test::TempDir dir("futures");
  // One contract XXH24 (multiplier 10, initial 1000, maintenance 800),
  // held from 01-03's open at 100 with 1100 of equity: 01-05's close (70)
  // leaves exactly 800, no call; 01-08's (68) leaves 780: a call for 20,
  // and the contract is sold at 01-09's open (66).
  write(dir, "contracts.yaml",
        "roots:\n  XX:\n    multiplier: 10\n    margin: {initial: 1000, maintenance: 800}\n"
        "    roll: {rule: calendar, days_before_expiry: 2}\n    contracts:\n      XXH24: {expiry: 2024-03-15}\n");
  write(dir, "data/XXH24.csv",
        "Date,Open,High,Low,Close,Volume\n"
        "2024-01-02,100,100,100,100,1000\n2024-01-03,100,100,95,95,1000\n2024-01-04,95,95,75,75,1000\n"
        "2024-01-05,75,75,70,70,1000\n2024-01-08,70,70,68,68,1000\n2024-01-09,66,67,65,67,1000\n"
        "2024-01-10,67,67,60,60,1000\n");
  write(dir, "system.yaml", "execution: {commission: {model: fixed, amount: 0}}\n"
                            "output: {organize_by_date: false}\nlogging: {level: error, file: false}\n");
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-12-31\ninitial_equity: 1100\n"
        "script_paths: [" + kFixtures + "]\n"
        "data: {sources: [{name: x, path: data, layout: ohlcv, contracts: contracts.yaml, universe: [XXH24]}]}\n"
        "strategies: [{strategy_id: hold, name: futures_probe, universe: [XXH24], config: {quantity: 1}}]\n");
  const RunResult run =
      test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
  CHECK(records(run, "margin_call") == std::vector<std::pair<std::string, double>>{{"2024-01-08", 20}});
  const test::CsvTable trades = test::read_csv(run.results_dir + "/trades.csv");
  REQUIRE(trades.rows.size() == 1);
  CHECK(trades.at(0, "exit_time") == "2024-01-09");
  CHECK(trades.num(0, "exit_price") == 66);
  CHECK(trades.num(0, "gross_pnl") == -340);
  CHECK(trades.at(0, "exit_reason") == "margin_call");
  const auto summary = summary_of(run);
  CHECK(summary.at("final_cash") == 760.0);
  CHECK(summary.at("final_equity") == 760.0);
  CHECK(records(run, "position").back() == std::pair<std::string, double>{"2024-01-10", 0});
  CHECK(replay_run(run.results_dir).identical);
}

TEST_CASE("A bad contracts file is refused naming its file line and key") {
  test::TempDir dir("futures");
  const auto error_of = [&](const std::string& text) {
    write(dir, "c.yaml", text);
    return std::string(test::expect_error<ConfigError>([&] { load_contracts((dir / "c.yaml").string()); }).what());
  };
  const std::string file = (dir / "c.yaml").string();
  const std::string head = "roots:\n  ES:\n    multiplier: 50\n";
  const std::string roll = "    roll: {rule: calendar, days_before_expiry: 5}\n";
  CHECK(error_of(head + "    margin: {initial: 100, maintenance: 200}\n" + roll +
                 "    contracts: {ESH24: {expiry: 2024-03-15}}\n") ==
        file + ":4: key 'roots.ES.margin.maintenance': maintenance margin 200 is above the initial margin 100");
  CHECK(error_of(head + "    margin: {initial: 200, maintenance: 100}\n" + roll +
                 "    contracts:\n      ESM24: {expiry: 2024-06-21}\n      ESH24: {expiry: 2024-03-15}\n") ==
        file + ":8: key 'roots.ES.contracts.ESH24.expiry': contracts must be listed by expiry: ESH24 expires "
               "2024-03-15, not after ESM24 (2024-06-21)");
  CHECK(error_of("roots:\n  ES:\n    multiplier: -5\n") ==
        file + ":3: key 'roots.ES.multiplier': must be > 0, got '-5'");
  CHECK(error_of(head + "    margin: {initial: 200, maintenance: 100}\n    roll: {rule: volume, days_before_expiry: 5}\n"
                        "    contracts: {ESH24: {expiry: 2024-03-15}}\n") ==
        file + ":5: key 'roots.ES.roll.days_before_expiry': days_before_expiry applies to rule calendar only (this rule is volume)");
  CHECK(error_of(head + "    margin: {initial: 200, maintenance: 100}\n" + roll + "    tick: 0.25\n") ==
        file + ":6: key 'roots.ES.tick': unknown key 'tick' (expected one of: multiplier, tick_size, currency, margin, roll, adjust, contracts)");
}

TEST_CASE("A universe symbol that is neither a root nor a contract is refused at its line") {
  test::TempDir dir("futures");
  write(dir, "system.yaml", kSystem);
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-12-31\n"
        "script_paths: [" + kFixtures + "]\n"
        "data:\n  sources:\n    - name: cme\n      path: " + kFixtures + "/data\n      layout: ohlcv\n"
        "      contracts: " + kFixtures + "/contracts.yaml\n      universe: [ES, NQ]\n"
        "strategies: [{strategy_id: hold, name: futures_probe, universe: [ES]}]\n");
  const auto e = test::expect_error<ConfigError>([&] {
    test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
  });
  CHECK(std::string(e.what()) == (dir / "bt.yaml").string() +
                                     ":10: key 'data.sources[0].universe[1]': 'NQ' is neither a root nor a contract "
                                     "of the contracts file " + kFixtures + "/contracts.yaml");
}

TEST_CASE("The open-interest rule rolls a held position on the day open interest moves") {
  test::TempDir dir("futures");
  std::ifstream in(kFixtures + "/contracts.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string calendar = "roll: {rule: calendar, days_before_expiry: 8}";
  text.replace(text.find(calendar), calendar.size(), "roll: {rule: open_interest}");
  write(dir, "contracts.yaml", text);
  const RunResult run = run_in(dir, es_backtest((dir / "contracts.yaml").string(), 1000000, 1));
  // Decided at 03-11's and 06-17's closes, traded at the next opens.
  const test::CsvTable fills = test::read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == 5);
  CHECK(fills.at(1, "timestamp") == "2024-03-12");
  CHECK(fills.at(1, "symbol") == "ESH24");
  CHECK(fills.num(1, "price") == 4751.50);  // ESH24.csv 2024-03-12 open
  CHECK(fills.at(2, "symbol") == "ESM24");
  CHECK(fills.num(2, "price") == 4815.25);  // ESM24.csv 2024-03-12 open
  CHECK(fills.at(3, "timestamp") == "2024-06-18");
  CHECK(fills.at(4, "symbol") == "ESU24");
  // Adjusted by difference at the deciding closes: the strategy's close on
  // 03-11 is ESH24's plus both gaps, ESU24 - ESM24 on 06-17 (4696.25 -
  // 4638.50) and ESM24 - ESH24 on 03-11 (4814.25 - 4750.50).
  CHECK(record_on(run, "close", "2024-03-11") == 4750.50 + ((4696.25 - 4638.50) + (4814.25 - 4750.50)));
}

TEST_CASE("The futures example runs and rolls its position in March") {
  test::TempDir dir("futures");
  const RunResult run = test::run_backtest(std::string(QTRADER_SOURCE_DIR) + "/config/system.yaml",
                                           std::string(QTRADER_SOURCE_DIR) + "/examples/futures/backtest.yaml",
                                           (dir / "out").string());
  const test::CsvTable trades = test::read_csv(run.results_dir + "/trades.csv");
  REQUIRE(trades.rows.size() == 6);
  CHECK(trades.at(1, "exit_time") == "2024-03-11");
  CHECK(trades.at(1, "exit_reason") == "roll");
  CHECK(trades.at(2, "symbol") == "ESM24");
  CHECK(trades.at(2, "tag") == "roll");
  CHECK(trades.num(2, "gross_pnl") == 2 * 50 * (4598.75 - 4795.75));
}
