// Consolidated bars through a whole run on real 5-minute bars
// (tests/fixtures/bars): a strategy that also subscribes to 1h and 1d bars
// never sees a window before its last 5-minute bar, its 1h SMA advances on
// completed hours only, and `timeframe: 15m` in the backtest gives on_bar
// 15-minute bars equal to an aggregation written here.
#include <catch2/catch.hpp>

#include <ctime>
#include <iomanip>
#include <map>
#include <sstream>

#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

constexpr double kMinute = 60.0;

// A row of the fixture: seconds since the epoch (naive times read as UTC).
struct Row {
  double t;
  double open, high, low, close;
};

double seconds_of(const std::string& date, const std::string& time) {
  std::tm tm{};
  std::istringstream(date + " " + time) >> std::get_time(&tm, "%Y-%m-%d %H:%M:%S");
  return static_cast<double>(timegm(&tm));
}

std::vector<Row> fixture_rows() {
  const CsvTable t = read_csv(kFixtures + "/bars/data/ESTX.csv");
  std::vector<Row> rows;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    rows.push_back({seconds_of(t.at(i, "Date"), t.at(i, "Time")), t.num(i, "Open"),
                    t.num(i, "High"), t.num(i, "Low"), t.num(i, "Close")});
  return rows;
}

// Windows of `len` seconds (aligned to the epoch, so to UTC days), in order.
std::vector<Row> aggregate(const std::vector<Row>& rows, double len) {
  std::vector<Row> out;
  for (const Row& r : rows) {
    const double start = std::floor(r.t / len) * len;
    if (out.empty() || out.back().t != start) {
      out.push_back(r);
      out.back().t = start;
    } else {
      Row& b = out.back();
      b.high = std::max(b.high, r.high);
      b.low = std::min(b.low, r.low);
      b.close = r.close;
    }
  }
  return out;
}

// records.csv: per strategy, per name, the values in order.
std::map<std::string, std::vector<double>> records_of(const RunResult& run, const std::string& strategy) {
  const CsvTable t = read_csv(run.results_dir + "/records.csv");
  std::map<std::string, std::vector<double>> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    if (t.at(i, "strategy_id") == strategy) out[t.at(i, "name")].push_back(std::stod(t.at(i, "value")));
  return out;
}

RunResult run_mtf() {
  return run_backtest(kFixtures + "/bars/system.yaml", kFixtures + "/bars/mtf.yaml",
                      process_temp_dir().str());
}

}  // namespace

TEST_CASE("multi-timeframe: at each 5m bar the last 1h and 1d bars seen are the completed ones",
          "[strategies][consolidation]") {
  const RunResult run = run_mtf();
  const auto rows = fixture_rows();
  const auto hours = aggregate(rows, 3600), days = aggregate(rows, 86400);
  auto rec = records_of(run, "mtf");
  REQUIRE(rec["now"].size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double now = rec["now"][i], end = now + 5 * kMinute;  // the 5m bar's end
    CHECK(now == rows[i].t);
    // The last hour and day whose window ended by the end of this bar.
    double want_h = -1, want_d = -1;
    for (const Row& h : hours)
      if (h.t + 3600 <= end) want_h = h.t;
    for (const Row& d : days)
      if (d.t + 86400 <= now) want_d = d.t;  // a day is closed by the next day's first bar
    INFO("5m bar at " << now);
    CHECK(rec["last_h"][i] == want_h);
    CHECK(rec["last_d"][i] == want_d);
    if (want_h >= 0) CHECK(want_h + 3600 <= end);  // never a window not yet complete
  }
  // Every completed hour reached on_bar once, equal to the aggregation, with
  // an SMA(3) of hourly closes (NaN for the first two).
  REQUIRE(rec["h_ts"].size() == hours.size() - 1);  // the last hour of the run never closes
  for (std::size_t k = 0; k < rec["h_ts"].size(); ++k) {
    CHECK(rec["h_ts"][k] == hours[k].t);
    CHECK(rec["h_close"][k] == hours[k].close);
    if (k < 2) {
      CHECK(std::isnan(rec["h_sma"][k]));
    } else {
      const double mean = (hours[k - 2].close + hours[k - 1].close + hours[k].close) / 3;
      CHECK(close_rel(rec["h_sma"][k], mean, 1e-12));
    }
  }
  REQUIRE(rec["d_ts"].size() == days.size() - 1);
  for (std::size_t k = 0; k < rec["d_ts"].size(); ++k) {
    CHECK(rec["d_ts"][k] == days[k].t);
    CHECK(rec["d_open"][k] == days[k].open);
    CHECK(rec["d_high"][k] == days[k].high);
    CHECK(rec["d_low"][k] == days[k].low);
    CHECK(rec["d_close"][k] == days[k].close);
  }
}

TEST_CASE("timeframe: 15m in the backtest: on_bar gets completed 15-minute bars only",
          "[strategies][consolidation]") {
  const RunResult run = run_mtf();
  const auto rows = fixture_rows();
  const auto quarters = aggregate(rows, 15 * kMinute);
  auto rec = records_of(run, "quarter");
  REQUIRE(rec["ts"].size() == quarters.size() - 1);
  for (std::size_t k = 0; k < rec["ts"].size(); ++k) {
    INFO("15m bar " << k);
    CHECK(rec["ts"][k] == quarters[k].t);
    CHECK(rec["open"][k] == quarters[k].open);
    CHECK(rec["high"][k] == quarters[k].high);
    CHECK(rec["low"][k] == quarters[k].low);
    CHECK(rec["close"][k] == quarters[k].close);
    // Handed out by its last 5-minute bar when that bar ends the window
    // (bar_size: 5m), else by the next window's first bar.
    std::size_t last = 0;
    while (last + 1 < rows.size() && rows[last + 1].t < quarters[k].t + 15 * kMinute) ++last;
    const double want_now =
        rows[last].t + 5 * kMinute >= quarters[k].t + 15 * kMinute ? rows[last].t : rows[last + 1].t;
    CHECK(rec["now"][k] == want_now);
  }
}
