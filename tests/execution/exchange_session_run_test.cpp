// The exchange's day through whole runs (docs/data.md, docs/execution.md):
// start_date/end_date are exchange-local days, market-on-close fills at the
// session's last bar, data.stale_policy: close, and timeframes finer than a
// source's bars are refused at the backtest's line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <map>
#include <string>

#include "csv_table.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"
#include "qtrader/time_zone.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

const TimeZone& new_york() {
  static const TimeZone tz = *TimeZone::find("America/New_York");
  return tz;
}

void write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  std::filesystem::create_directories((dir / name).parent_path());
  std::ofstream(dir / name) << text;
}

const char* kSystem =
    "execution: {fill_policy: next_bar_open, commission: {model: percentage, rate: 0.001}}\n"
    "output: {organize_by_date: false, use_timestamps: true}\n"
    "logging: {level: error, file: false}\n";

// Minute bars 09:30..19:59 New York (naive local times) of each day; the close
// of a bar is 100 + its minute of the day / 1000, so a fill names its bar.
// Returns each bar's close by UTC instant.
std::map<Timestamp, double> write_minutes(const test::TempDir& dir, const std::string& name,
                                          std::initializer_list<const char*> days) {
  std::map<Timestamp, double> closes;
  std::string text = "Date,Open,High,Low,Close,Volume\n";
  for (const char* day : days)
    for (int minute = 9 * 60 + 30; minute < 20 * 60; ++minute) {
      const Timestamp local = *parse_date(day) + Timestamp{minute} * 60 * kNanosPerSecond;
      const double close = 100.0 + minute / 1000.0;
      closes[new_york().to_utc(local)] = close;
      std::ostringstream row;
      row << std::setprecision(17) << format_timestamp(local) << ",100," << close + 0.5 << ",99," << close
          << ",1000\n";
      text += row.str();
    }
  write(dir, name, text);
  return closes;
}

}  // namespace

// ---- start_date / end_date ---------------------------------------------------

namespace {

RunResult run_dates(const test::TempDir& dir, const std::string& start, const std::string& end) {
  write(dir, "system.yaml", kSystem);
  write_minutes(dir, "data/SPY.csv", {"2024-01-02", "2024-01-03"});
  write(dir, "bt.yaml",
        "start_date: " + start + "\nend_date: " + end + "\ninitial_equity: 100000\n"
        "data: {sources: [{name: ny, path: data, layout: ohlcv, timezone: America/New_York, universe: [SPY]}]}\n"
        "strategies: [{strategy_id: bh, name: buy_and_hold, universe: [SPY]}]\n"
        "risk_policy: {name: fixed_quantity, config: {quantity: 10}}\n");
  return test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
}

}  // namespace

// Bars 09:30..19:59 New York; 19:00..19:59 (EST) is 00:00..00:59 UTC of the
// next day, which a UTC day would have given to the wrong date.
TEST_CASE("start_date and end_date are days of the exchange: New York minutes", "[exchange][run][dates]") {
  SECTION("start_date 2024-01-03 starts at that New York session, not at 19:00 New York of 01-02") {
    const test::TempDir dir("dates-start");
    const RunResult run = run_dates(dir, "2024-01-03", "2024-01-04");
    CHECK(run.summary.first_bar == "2024-01-03T14:30:00Z");  // 09:30 New York
    CHECK(run.summary.last_bar == "2024-01-04T00:59:00Z");   // 19:59 New York of 01-03
    CHECK(run.summary.bars_processed == 630);                // UTC days: 60 more (01-02 19:00-19:59)
  }
  SECTION("end_date 2024-01-02 ends with 19:59 New York, on the next UTC day") {
    const test::TempDir dir("dates-end");
    const RunResult run = run_dates(dir, "2024-01-01", "2024-01-02");
    CHECK(run.summary.first_bar == "2024-01-02T14:30:00Z");
    CHECK(run.summary.last_bar == "2024-01-03T00:59:00Z");
    CHECK(run.summary.bars_processed == 630);  // UTC days: 570, cut at 23:59Z
  }
}

// ---- market-on-close ---------------------------------------------------------

namespace {

// Buys 10 at market-on-close on the first bar of each New York day.
const char* kMocProbe = R"(
local S = { name = "moc_probe", kind = "strategy", params = {} }
local last_day = nil
function S.on_bar(ctx, bar)
  local day = ctx:session_date(bar.ts)
  if day ~= last_day then
    last_day = day
    ctx:emit_signal{ symbol = bar.symbol, intention = "open_long", order_type = "market_on_close" }
  end
end
return S
)";

RunResult run_moc(const test::TempDir& dir, const std::string& source_keys) {
  write(dir, "system.yaml", kSystem);
  write(dir, "scripts/moc_probe.lua", kMocProbe);
  write(dir, "bt.yaml",
        "start_date: 2024-07-01\nend_date: 2024-07-10\ninitial_equity: 100000\nscript_paths: [scripts]\n"
        "data: {sources: [{name: ny, path: data, layout: ohlcv, timezone: America/New_York" +
            source_keys + ", universe: [SPY]}]}\n"
        "strategies: [{strategy_id: moc, name: moc_probe, universe: [SPY]}]\n"
        "risk_policy: {name: fixed_quantity, config: {quantity: 10}}\n");
  return test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
}

}  // namespace

// 2024-07-02 is a regular session (close 16:00 EDT = 20:00Z), 2024-07-03 an
// early close (13:00 EDT = 17:00Z); the bars run to 19:59 EDT.
TEST_CASE("market_on_close fills at the close of the exchange's session, early closes included",
          "[exchange][run][moc]") {
  SECTION("with the XNYS calendar: the session's last regular bar") {
    const test::TempDir dir("moc-xnys");
    const auto closes = write_minutes(dir, "data/SPY.csv", {"2024-07-02", "2024-07-03"});
    const RunResult run = run_moc(dir, ", calendar: XNYS");
    const auto fills = test::read_csv(run.results_dir + "/fills.csv");
    REQUIRE(fills.rows.size() == 2);
    CHECK(fills.at(0, "timestamp") == "2024-07-02T19:59:00Z");  // the 15:59 bar
    CHECK(fills.num(0, "price") == closes.at(*parse_timestamp("2024-07-02 19:59:00")));
    CHECK(fills.at(1, "timestamp") == "2024-07-03T16:59:00Z");  // the 12:59 bar: early close
    CHECK(fills.num(1, "price") == closes.at(*parse_timestamp("2024-07-03 16:59:00")));
  }
  SECTION("without a calendar: the last bar of the New York day") {
    const test::TempDir dir("moc-day");
    const auto closes = write_minutes(dir, "data/SPY.csv", {"2024-07-02", "2024-07-03"});
    const RunResult run = run_moc(dir, "");
    const auto fills = test::read_csv(run.results_dir + "/fills.csv");
    REQUIRE(fills.rows.size() == 2);
    CHECK(fills.at(0, "timestamp") == "2024-07-02T23:59:00Z");  // 19:59 New York
    CHECK(fills.num(0, "price") == closes.at(*parse_timestamp("2024-07-02 23:59:00")));
    CHECK(fills.at(1, "timestamp") == "2024-07-03T23:59:00Z");
  }
}

// ---- data.stale_policy: close ------------------------------------------------

namespace {

// AAA trades 2024-01-02..01-10, BBB only 01-02..01-05 (weekdays). Bar i of a
// symbol opens at base + i and closes at base + i + 0.5.
RunResult run_stale(const test::TempDir& dir, const std::string& policy) {
  const auto bars = [](double base, int n) {
    static const char* days[] = {"2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05",
                                 "2024-01-08", "2024-01-09", "2024-01-10"};
    std::ostringstream out;
    out << "Date,Open,High,Low,Close,Volume\n";
    for (int i = 0; i < n; ++i)
      out << days[i] << ',' << base + i << ',' << base + i + 1 << ',' << base + i - 1 << ',' << base + i + 0.5
          << ",1000\n";
    return out.str();
  };
  write(dir, "system.yaml", kSystem);
  write(dir, "data/AAA.csv", bars(10, 7));
  write(dir, "data/BBB.csv", bars(20, 4));
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-01-31\ninitial_equity: 100000\n"
        "data:\n  sources: [{name: d, path: data, layout: ohlcv, universe: [AAA, BBB]}]\n"
        "  stale_policy: " + policy + "\n"
        "strategies: [{strategy_id: bh, name: buy_and_hold, universe: [AAA, BBB]}]\n"
        "risk_policy: {name: fixed_quantity, config: {quantity: 100}}\n");
  return test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
}

}  // namespace

TEST_CASE("stale_policy close: a position whose data ends early is sold at its last bar's close",
          "[run][coverage][stale]") {
  const test::TempDir dir("stale-close");
  const RunResult run = run_stale(dir, "close");
  const auto fills = test::read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == 3);
  // Both bought at 2024-01-03's open (the signal of 01-02, next bar's open).
  CHECK(fills.at(0, "symbol") == "AAA");
  CHECK(fills.num(0, "price") == 11.0);
  CHECK(fills.at(1, "symbol") == "BBB");
  CHECK(fills.num(1, "price") == 21.0);
  // BBB's last bar, 01-05: sold at its close, 23.5, commission 100 * 0.001 * 23.5.
  CHECK(fills.at(2, "timestamp") == "2024-01-05");
  CHECK(fills.at(2, "symbol") == "BBB");
  CHECK(fills.at(2, "side") == "sell");
  CHECK(fills.num(2, "quantity") == 100);
  CHECK(fills.num(2, "price") == 23.5);
  CHECK(fills.num(2, "commission") == Approx(2.35).margin(1e-12));

  const auto trades = test::read_csv(run.results_dir + "/trades.csv");
  REQUIRE(trades.rows.size() == 1);
  CHECK(trades.at(0, "symbol") == "BBB");
  CHECK(trades.at(0, "exit_time") == "2024-01-05");
  CHECK(trades.num(0, "exit_price") == 23.5);
  CHECK(trades.at(0, "exit_reason") == "end_of_data");

  // Cash 100000 - 1101.1 - 2102.1 + 2347.65; AAA marked at its last close, 16.5.
  CHECK(run.summary.final_equity == Approx(100000 - 1101.1 - 2102.1 + 2347.65 + 1650).epsilon(1e-12));
  CHECK(run.summary.stale_policy == "close");
}

TEST_CASE("stale_policy keep (the default) leaves the position open at its last close", "[run][coverage][stale]") {
  const test::TempDir dir("stale-keep");
  const RunResult run = run_stale(dir, "keep");
  const auto fills = test::read_csv(run.results_dir + "/fills.csv");
  CHECK(fills.rows.size() == 2);
  CHECK(test::read_csv(run.results_dir + "/trades.csv").rows.empty());
  // BBB stays marked at 23.5.
  CHECK(run.summary.final_equity == Approx(100000 - 1101.1 - 2102.1 + 2350 + 1650).epsilon(1e-12));
}

// ---- timeframes finer than the source ----------------------------------------

namespace {

std::string run_timeframe(const test::TempDir& dir, const std::string& source_keys,
                          const std::string& strategy_keys, const char* script = nullptr) {
  write(dir, "system.yaml", kSystem);
  write_minutes(dir, "data/SPY.csv", {"2024-01-02"});
  if (script) write(dir, "scripts/sub_probe.lua", script);
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-01-31\ninitial_equity: 100000\nscript_paths: [scripts]\n"
        "data:\n  sources:\n    - {name: ny, path: data, layout: ohlcv, timezone: America/New_York" + source_keys +
            ", universe: [SPY]}\n"
        "strategies:\n  - strategy_id: s\n    universe: [SPY]\n" + strategy_keys);
  std::filesystem::create_directories(dir / "scripts");
  try {
    test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("A timeframe finer than the source's bars is a ConfigError at the backtest's line",
          "[run][timeframe]") {
  SECTION("the strategy's timeframe key, against bar_size") {
    const test::TempDir dir("tf-key");
    const std::string bt = (dir / "bt.yaml").string();
    CHECK(run_timeframe(dir, ", bar_size: 5m", "    name: buy_and_hold\n    timeframe: 1m\n") ==
          bt + ":12: key 'strategies[0].timeframe': timeframe 1m is finer than the source's bar_size 5m (symbol SPY)");
  }
  SECTION("ctx:subscribe in on_init") {
    const test::TempDir dir("tf-sub");
    const std::string bt = (dir / "bt.yaml").string();
    CHECK(run_timeframe(dir, ", bar_size: 5m", "    name: sub_probe\n",
                        "local S = { name = 'sub_probe', kind = 'strategy', params = {} }\n"
                        "function S.on_init(ctx) ctx:subscribe(ctx:universe()[1], '2m') end\n"
                        "function S.on_bar(ctx, bar) end\nreturn S\n") ==
          bt + ":9: key 'strategies[0]': ctx:subscribe(\"SPY\", \"2m\") in on_init: timeframe 2m is finer than "
               "the source's bar_size 5m");
  }
  SECTION("a daily source without bar_size") {
    const test::TempDir dir("tf-daily");
    write(dir, "data/SPY.csv", "Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-03,1,2,0.5,1.5,10\n");
    const std::string bt = (dir / "bt.yaml").string();
    // write_minutes in run_timeframe would overwrite it: use a layout of its own.
    write(dir, "system.yaml", kSystem);
    write(dir, "bt.yaml",
          "start_date: 2024-01-01\nend_date: 2024-01-31\ninitial_equity: 100000\n"
          "data:\n  sources:\n    - {name: d, path: data, layout: ohlcv, universe: [SPY]}\n"
          "strategies:\n  - strategy_id: s\n    universe: [SPY]\n    name: buy_and_hold\n    timeframe: 1h\n");
    CHECK_THROWS_WITH(
        test::run_backtest((dir / "system.yaml").string(), bt, (dir / "out").string()),
        bt + ":11: key 'strategies[0].timeframe': timeframe 1h is finer than the source's daily bars (symbol SPY)");
  }
}
