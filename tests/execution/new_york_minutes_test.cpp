// New York minute bars through whole runs: the trading day is New York's.
// Two sessions (2024-01-02 and 2024-01-03, EST = UTC-5) of minute bars from
// 09:30 to 19:59 New York, i.e. the regular session and four hours of
// post-market, the last of which fall on the next UTC day (00:00Z-00:59Z).
// buy_and_hold buys 100 shares on the first bar, so equity moves every bar.
#include <catch2/catch.hpp>

#include "file_text.hpp"

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "csv_table.hpp"
#include "metrics/calculations.hpp"
#include "metrics/run_files.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/time.hpp"
#include "qtrader/time_zone.hpp"
#include "qtrader/timestamp_format.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

const TimeZone& new_york() {
  static const TimeZone tz = *TimeZone::find("America/New_York");
  return tz;
}

// One row per minute, the timestamp written by `stamp` (given the UTC instant).
void write_bars(const std::string& path, const std::function<std::string(Timestamp)>& stamp) {
  std::ofstream out(path);
  out << "Date,Open,High,Low,Close,Volume\n";
  int i = 0;
  for (const char* day : {"2024-01-02", "2024-01-03"})
    for (int minute = 9 * 60 + 30; minute < 20 * 60; ++minute, ++i) {
      const Timestamp local = *parse_date(day) + Timestamp{minute} * 60 * kNanosPerSecond;
      const double close = 100.0 + 0.01 * (i % 97);
      out << stamp(new_york().to_utc(local)) << ',' << close << ',' << close + 0.05 << ','
          << close - 0.05 << ',' << close << ",1000\n";
    }
}

// A folder with system.yaml, data_sources.yaml (source `minutes` with the
// given extra keys), data/SPY.csv written by `stamp`, and bt.yaml.
std::string make_fixture(const test::TempDir& dir, const std::string& source_keys,
                         const std::function<std::string(Timestamp)>& stamp) {
  const auto file = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
  };
  std::filesystem::create_directories(dir / "data");
  write_bars((dir / "data/SPY.csv").string(), stamp);
  file("system.yaml",
       "execution: {fill_policy: next_bar_open, commission: {model: percentage, rate: 0.001}}\n"
       "output: {organize_by_date: false, use_timestamps: true}\n"
       "logging: {level: error, file: false}\n"
       "data: {sources_config: data_sources.yaml}\n");
  file("data_sources.yaml", "sources:\n  minutes:\n    path: data\n    layout: ohlcv\n" + source_keys);
  file("bt.yaml",
       "start_date: 2024-01-02\nend_date: 2024-01-05\ninitial_equity: 100000\n"
       "data: {sources: [{name: minutes, universe: [SPY]}]}\n"
       "strategies: [{strategy_id: bh, name: buy_and_hold, universe: [SPY]}]\n"
       "risk_policy: {name: fixed_quantity, config: {quantity: 100}}\n");
  return (dir / "out").string();
}

RunResult run_fixture(const test::TempDir& dir, const std::string& source_keys) {
  const std::string out = make_fixture(dir, source_keys, [](Timestamp ts) { return format_timestamp(ts); });
  return test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), out);
}

std::string slurp(const std::string& path) { return test::file_text(path); }

}  // namespace

TEST_CASE("New York minute bars: day-end equity falls on New York's day ends, timestamps are UTC with Z",
          "[exchange][run]") {
  const test::TempDir dir("ny-minutes");
  const RunResult run = run_fixture(dir, "    timezone: UTC\n    exchange_timezone: America/New_York\n");
  CHECK(run.summary.bars_processed == 1260);
  CHECK(run.summary.first_bar == "2024-01-02T14:30:00Z");
  CHECK(run.summary.last_bar == "2024-01-04T00:59:00Z");
  CHECK(run.summary.time_format == "instants");
  CHECK(run.summary.exchange_timezone == "America/New_York");

  const auto equity = test::read_csv(run.results_dir + "/equity.csv");
  REQUIRE(equity.rows.size() == 1260);
  CHECK(equity.at(0, "timestamp") == "2024-01-02T14:30:00Z");
  CHECK(equity.at(629, "timestamp") == "2024-01-03T00:59:00Z");  // 19:59 New York
  const auto fills = test::read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == 1);
  CHECK(fills.at(0, "timestamp") == "2024-01-02T14:31:00Z");

  // Two New York days, each ending at its 19:59 bar; UTC days would have cut
  // three (the last hour of each session on the next UTC day).
  const metrics::RunFiles files = metrics::read_run_files(run.results_dir);
  CHECK(files.day_zone.name() == "America/New_York");
  const auto days = metrics::day_end_equity(files.equity, files.day_zone);
  REQUIRE(days.size() == 2);
  CHECK(format_date(days[0].day) == "2024-01-02");
  CHECK(format_utc_instant(days[0].last) == "2024-01-03T00:59:00Z");
  CHECK(format_date(days[1].day) == "2024-01-03");
  CHECK(format_utc_instant(days[1].last) == "2024-01-04T00:59:00Z");
  CHECK(metrics::day_end_equity(files.equity).size() == 3);  // what UTC days made of it
}

TEST_CASE("With the XNYS calendar and outside_session drop, day-end equity is at 16:00 New York",
          "[exchange][run]") {
  const test::TempDir dir("ny-session");
  const RunResult run = run_fixture(dir, "    calendar: XNYS\n    outside_session: drop\n");
  CHECK(run.summary.bars_processed == 780);  // 390 regular minutes a day
  const metrics::RunFiles files = metrics::read_run_files(run.results_dir);
  const auto days = metrics::day_end_equity(files.equity, files.day_zone);
  REQUIRE(days.size() == 2);
  CHECK(format_utc_instant(days[0].last) == "2024-01-02T20:59:00Z");  // the 15:59 bar
  CHECK(format_utc_instant(days[1].last) == "2024-01-03T20:59:00Z");
}

TEST_CASE("An unknown exchange_timezone stops the run at the source's line", "[exchange][run]") {
  const test::TempDir dir("ny-badzone");
  CHECK_THROWS_WITH(run_fixture(dir, "    exchange_timezone: America/Nowhere\n"),
                    Catch::Contains("data_sources.yaml:5: key 'sources.minutes.exchange_timezone': "
                                    "unknown time zone 'America/Nowhere'"));
}

TEST_CASE("ctx calendar methods answer in New York's days and sessions", "[exchange][run][lua]") {
  const test::TempDir dir("ny-lua");
  const std::string out =
      make_fixture(dir, "    calendar: XNYS\n", [](Timestamp ts) { return format_timestamp(ts); });
  std::filesystem::create_directories(dir / "scripts");
  std::ofstream(dir / "scripts/cal_probe.lua") << R"(
local S = { name = "cal_probe", kind = "strategy", params = {} }
local first = true
local function flag(name, ok) S.ctx:record(name, ok and 1 or 0) end
function S.on_bar(ctx, bar)
  S.ctx = ctx
  if first then
    first = false
    ctx:record("open", ctx:session_open(ctx:session_date()))
    ctx:record("early_close", ctx:session_close("2024-07-03"))
    flag("next", ctx:next_session("2024-01-02") == "2024-01-03")
    flag("previous", ctx:previous_session("2024-07-05") == "2024-07-03")
    flag("is_early_close", ctx:is_early_close("2024-11-29"))
    flag("holiday", not ctx:is_session("2024-07-04"))
    flag("in_session", ctx:in_session())
    flag("in_session_by_symbol", ctx:in_session(bar.ts, "SPY"))
    local ok, err = pcall(ctx.session_open, ctx, "2024-07-04")
    flag("error", not ok and err:find("ctx:session_open: 2024-07-04 is no XNYS session", 1, true) ~= nil)
  end
  if bar.ts == 1704241800e9 then  -- 2024-01-03T00:30:00Z, 19:30 New York
    flag("local_date", ctx:session_date() == "2024-01-02")
    flag("post_market", not ctx:in_session())
  end
end
return S
)";
  std::ofstream(dir / "bt.yaml")
      << "start_date: 2024-01-02\nend_date: 2024-01-05\ninitial_equity: 100000\nscript_paths: [scripts]\n"
         "data: {sources: [{name: minutes, universe: [SPY]}]}\n"
         "strategies: [{strategy_id: probe, name: cal_probe, universe: [SPY]}]\n";
  const RunResult run = test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), out);
  const auto records = test::read_csv(run.results_dir + "/records.csv");
  std::map<std::string, std::string> got;
  for (std::size_t i = 0; i < records.rows.size(); ++i) got[records.at(i, "name")] = records.at(i, "value");
  CHECK(format_utc_instant(std::llround(std::stod(got["open"]))) == "2024-01-02T14:30:00Z");
  CHECK(format_utc_instant(std::llround(std::stod(got["early_close"]))) == "2024-07-03T17:00:00Z");
  for (const char* name : {"next", "previous", "is_early_close", "holiday", "in_session", "in_session_by_symbol",
                           "error", "local_date", "post_market"}) {
    INFO(name);
    CHECK(got[name] == "1");
  }
}

// The same bars as naive New York times (timezone: America/New_York), as
// naive UTC times and as ISO 8601 instants with Z: byte-identical results.
TEST_CASE("New York minute bars as naive local times, naive UTC and UTC with Z give byte-identical results",
          "[exchange][run][dialect]") {
  const test::TempDir a("ny-naive"), b("ny-utc"), c("ny-z");
  const std::string out_a = make_fixture(a, "    timezone: America/New_York\n", [](Timestamp ts) {
    return format_timestamp(new_york().to_local(ts));
  });
  const std::string out_b = make_fixture(b, "    timezone: UTC\n    exchange_timezone: America/New_York\n",
                                         [](Timestamp ts) { return format_timestamp(ts); });
  // Z is exact: the source's zone (New York here) does not apply to it.
  const std::string out_c = make_fixture(c, "    timezone: America/New_York\n",
                                         [](Timestamp ts) { return format_utc_instant(ts); });
  const RunResult ra = test::run_backtest((a / "system.yaml").string(), (a / "bt.yaml").string(), out_a);
  const RunResult rb = test::run_backtest((b / "system.yaml").string(), (b / "bt.yaml").string(), out_b);
  const RunResult rc = test::run_backtest((c / "system.yaml").string(), (c / "bt.yaml").string(), out_c);
  REQUIRE(ra.summary.fills > 0);
  for (const char* f : {"/equity.csv", "/fills.csv", "/trades.csv", "/positions.csv"}) {
    INFO(f);
    CHECK(slurp(ra.results_dir + f) == slurp(rb.results_dir + f));
    CHECK(slurp(ra.results_dir + f) == slurp(rc.results_dir + f));
  }
}
