// on_tick (issue #11, "strategies may take on_tick"): a strategy that defines
// on_tick gets every trade of its tick-source symbols, across symbols in time
// order (ties in symbol order), each before the on_bar of the bar it makes
// and after the on_bar of the bar before; a signal from on_tick fills at the
// open of the symbol's next bar; the same with the bar cache cold, warm and
// off; a failing or endless on_tick fails the run at its line
// (tests/fixtures/ticks: two symbols, four minutes of interleaved trades).
#include <catch2/catch.hpp>

#include <fstream>

#include "file_text.hpp"
#include "qtrader/errors.hpp"
#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

const std::string kTicks = kFixtures + "/ticks";

// A system file (bar cache `cache`: "off" or a folder) and the backtest, in `dir`.
std::string write_backtest(const std::string& dir, const std::string& cache, int buy_at, int fail_at,
                           int spin_at) {
  std::ofstream(dir + "/system.yaml")
      << "execution:\n  fill_policy: next_bar_open\n  commission: {model: percentage, rate: 0.001}\n"
      << "  slippage: {model: none}\n"
      << "output:\n  event_store: {backend: sqlite, filename: events.sqlite}\n  organize_by_date: false\n"
      << "logging: {level: warn, file: false}\n"
      << (spin_at ? "sandbox: {callback_budget_ms: 200}\n" : "")
      << "data:\n  default_timezone: UTC\n"
      << (cache == "off" ? "  bar_cache: {enabled: false}\n" : "  bar_cache: {dir: " + cache + "}\n");
  const std::string backtest = dir + "/ticks.yaml";
  std::ofstream(backtest)
      << "start_date: 2024-03-04\nend_date: 2024-03-05\ninitial_equity: 100000\n"
      << "script_paths: [" << kTicks << "/scripts]\n"
      << "data:\n  sources:\n    - {name: trades, path: " << kTicks
      << "/data, kind: ticks, bar_size: 1m, timezone: UTC, universe: [AAA, BBB]}\n"
      << "strategies:\n  - {strategy_id: probe, name: tick_probe, universe: [AAA, BBB], config: {buy_at: "
      << buy_at << ", fail_at: " << fail_at << ", spin_at: " << spin_at << "}}\n"
      << "risk_policy: {name: fixed_quantity, config: {quantity: 10}}\n";
  return backtest;
}

RunResult run_ticks(const std::string& dir, const std::string& cache, int buy_at = 0, int fail_at = 0,
                    int spin_at = 0) {
  std::filesystem::create_directories(dir);
  const std::string backtest = write_backtest(dir, cache, buy_at, fail_at, spin_at);
  return run_backtest(dir + "/system.yaml", backtest, dir + "/results");
}

// What the probe records, in order: per tick (symbol, price, seconds, size,
// bid or -1, position), per bar (symbol, close, ticks since its last bar,
// the last tick's price), each at the bar's minute.
struct TickRow {
  const char* minute;
  const char* symbol;
  const char* price;
  const char* seconds;
  const char* size;
  const char* bid;
};
struct BarRow {
  const char* minute;
  const char* symbol;
  const char* close;
  int count;
  const char* last;
};

std::string expected_records(bool bought) {
  std::string out = "timestamp,strategy_id,symbol,name,value\n";
  const auto tick = [&](const TickRow& t, bool holding) {
    const std::string pre = std::string("2024-03-04T14:") + t.minute + ":00Z,probe," + t.symbol + ",";
    out += pre + "tick," + t.price + "\n";
    out += pre + "tick_ts," + t.seconds + "\n";
    out += pre + "size," + t.size + "\n";
    out += pre + "bid," + t.bid + "\n";
    out += pre + "pos," + (holding ? "10" : "0") + "\n";
  };
  const auto bar = [&](const BarRow& b) {
    const std::string pre = std::string("2024-03-04T14:") + b.minute + ":00Z,probe," + b.symbol + ",";
    out += pre + "bar," + b.close + "\n";
    out += pre + "count," + std::to_string(b.count) + "\n";
    out += pre + "last," + b.last + "\n";
  };
  // 14:30: both symbols trade; at 14:30:30 both do (AAA, the first symbol, first).
  tick({"30", "BBB", "50", "1709562601", "100", "-1"}, false);
  tick({"30", "AAA", "100", "1709562605", "10", "99.99"}, false);
  tick({"30", "AAA", "100.5", "1709562630", "20", "100.49"}, false);
  tick({"30", "BBB", "50.1", "1709562630", "200", "-1"}, false);
  tick({"30", "BBB", "50.2", "1709562645", "100", "-1"}, false);
  tick({"30", "AAA", "100.25", "1709562659.5", "5", "100.24"}, false);
  bar({"30", "AAA", "100.25", 3, "100.25"});
  bar({"30", "BBB", "50.2", 3, "50.2"});
  // 14:31: AAA only (BBB has no bar). Tick 8 buys when asked to.
  tick({"31", "AAA", "101", "1709562670", "10", "100.99"}, false);
  tick({"31", "AAA", "101.5", "1709562700", "10", "101.49"}, false);
  bar({"31", "AAA", "101.5", 2, "101.5"});
  // 14:32: the order fills at AAA's 14:32 open, in the bar phase: after
  // the minute's ticks, before its on_bar.
  tick({"32", "AAA", "102", "1709562720", "30", "101.99"}, false);
  tick({"32", "BBB", "50.3", "1709562750", "300", "-1"}, false);
  bar({"32", "AAA", "102", 1, "102"});
  bar({"32", "BBB", "50.3", 1, "50.3"});
  // 14:33: the position shows in on_tick from the next bar's ticks on.
  tick({"33", "AAA", "101.75", "1709562795", "10", "101.74"}, bought);
  tick({"33", "BBB", "50.4", "1709562795", "100", "-1"}, false);
  tick({"33", "AAA", "103", "1709562825", "15", "102.99"}, bought);
  tick({"33", "BBB", "50.5", "1709562830", "100", "-1"}, false);
  bar({"33", "AAA", "103", 2, "103"});
  bar({"33", "BBB", "50.5", 2, "50.5"});
  return out;
}

}  // namespace

TEST_CASE("on_tick gets every tick in time order, each before its bar's on_bar", "[strategies][ticks]") {
  const RunResult run = run_ticks(process_temp_dir().str() + "/plain", "off");
  CHECK(run.summary.bars_processed == 7);
  CHECK(file_text(run.results_dir + "/records.csv") == expected_records(false));
  CHECK(run.summary.signals == 0);
}

TEST_CASE("a signal from on_tick fills at the open of the symbol's next bar", "[strategies][ticks]") {
  const RunResult run = run_ticks(process_temp_dir().str() + "/buy", "off", /*buy_at=*/8);
  CHECK(file_text(run.results_dir + "/records.csv") == expected_records(true));
  // Emitted at tick 8 (14:31:40, 101.5): ordered at 14:31, filled at the 14:32 bar's open.
  CHECK(run.summary.signals == 1);
  CHECK(run.summary.fills == 1);
  const CsvTable fills = read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == 1);
  CHECK(fills.at(0, "timestamp") == "2024-03-04T14:32:00Z");
  CHECK(fills.at(0, "symbol") == "AAA");
  CHECK(fills.at(0, "side") == "buy");
  CHECK(fills.num(0, "quantity") == 10);
  CHECK(fills.num(0, "price") == 102.0);
  CHECK(fills.num(0, "commission") == 10 * 0.001 * 102.0);
  // Equity at the end: cash less 1020 and the commission, 10 AAA at 103.
  CHECK(run.summary.final_cash == 100000.0 - 1020.0 - 10 * 0.001 * 102.0);
  CHECK(run.summary.final_equity == run.summary.final_cash + 10 * 103.0);
}

TEST_CASE("on_tick runs are deterministic and the same with the bar cache cold warm and off",
          "[strategies][ticks]") {
  const std::string base = process_temp_dir().str() + "/cache";
  const std::string cache = base + "/bar-cache";
  const RunResult off = run_ticks(base + "/off", "off", 8);
  const RunResult cold = run_ticks(base + "/cold", cache, 8);
  REQUIRE(std::filesystem::exists(cache));
  const RunResult warm = run_ticks(base + "/warm", cache, 8);
  const RunResult again = run_ticks(base + "/again", cache, 8);
  for (const char* file : {"/records.csv", "/fills.csv", "/equity.csv", "/trades.csv"}) {
    INFO(file);
    const std::string want = file_text(off.results_dir + file);
    CHECK(file_text(cold.results_dir + file) == want);
    CHECK(file_text(warm.results_dir + file) == want);
    CHECK(file_text(again.results_dir + file) == want);
  }
  CHECK(file_text(warm.results_dir + "/records.csv") == expected_records(true));
}

TEST_CASE("an error in on_tick fails the run naming the script's line", "[strategies][ticks]") {
  try {
    run_ticks(process_temp_dir().str() + "/fail", "off", 0, /*fail_at=*/3);
    FAIL("expected the run to fail");
  } catch (const ScriptError& e) {
    CHECK(e.callback() == "on_tick");
    CHECK_THAT(e.what(), Catch::Contains(kTicks + "/scripts/tick_probe.lua:23: tick 3 refused"));
  }
}

TEST_CASE("an on_tick past the callback budget fails the run as a timeout", "[strategies][ticks]") {
  try {
    run_ticks(process_temp_dir().str() + "/spin", "off", 0, 0, /*spin_at=*/5);
    FAIL("expected the run to fail");
  } catch (const ScriptError& e) {
    CHECK(e.kind() == ScriptError::Kind::Timeout);
    CHECK(e.callback() == "on_tick");
    CHECK_THAT(e.what(), Catch::Contains("tick_probe.lua:24: time budget of 0.2 s exceeded"));
  }
}
