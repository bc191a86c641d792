// The built-in strategies on real data (data/sample, 1995-2014, 100 shares a
// trade through fixed_quantity, fills at the next bar's open). Each expected
// trade list is rebuilt here from the strategy's documented rule applied to
// TA-Lib's indicator values (tests/fixtures/talib) or to the raw prices, and
// the headline figures are also spelled out, as computed by hand (Python)
// from the same files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <set>

#include <SQLiteCpp/SQLiteCpp.h>

#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

struct Trade {
  std::string entry_date;
  double entry_price;
  std::string exit_date;
  double exit_price;
};

// A long-only rule decided on bar i's close ("buy", "sell" or ""), filled at
// bar i+1's open; the position is what the strategy sees (fills of earlier signals).
std::vector<Trade> simulate(const std::vector<SampleBar>& bars,
                            const std::function<std::string(std::size_t, bool)>& rule, Trade& open_trade,
                            bool& holding) {
  std::vector<Trade> trades;
  std::string pending;
  holding = false;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    if (pending == "buy") {
      holding = true;
      open_trade = {bars[i].date, bars[i].open, "", 0};
    } else if (pending == "sell") {
      holding = false;
      open_trade.exit_date = bars[i].date;
      open_trade.exit_price = bars[i].open;
      trades.push_back(open_trade);
    }
    pending = rule(i, holding);
  }
  return trades;
}

void check_trades(const RunResult& run, const std::vector<Trade>& expected) {
  const CsvTable got = read_csv(run.results_dir + "/trades.csv");
  REQUIRE(got.rows.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("trade " << i + 1);
    CHECK(got.at(i, "entry_time") == expected[i].entry_date);
    CHECK(got.num(i, "entry_price") == expected[i].entry_price);
    CHECK(got.at(i, "exit_time") == expected[i].exit_date);
    CHECK(got.num(i, "exit_price") == expected[i].exit_price);
    CHECK(got.num(i, "quantity") == 100);
  }
}

}  // namespace

TEST_CASE("rsi_mean_reversion: buys RSI(14) < 30, sells RSI(14) > 70 (ORCL)", "[strategies][builtin]") {
  const auto bars = sample_bars("ORCL", "1995-01-03", "2014-12-31");
  const auto rsi = talib_column("orcl-1995-2014.talib.csv", "rsi_14");
  Trade open{};
  bool holding = false;
  const auto expected = simulate(
      bars,
      [&](std::size_t i, bool held) -> std::string {
        const double r = rsi.at(bars[i].date);
        if (std::isnan(r)) return "";
        if (!held && r < 30) return "buy";
        if (held && r > 70) return "sell";
        return "";
      },
      open, holding);
  // By hand: 14 round trips, the first 1996-04-10 at 3.12963 -> 1996-06-24 at
  // 4.208333, the last 2013-03-22 at 32.400002 -> 2013-11-14 at 34.169998; flat at the end.
  REQUIRE(expected.size() == 14);
  CHECK(expected[0].entry_date == "1996-04-10");
  CHECK(expected[0].entry_price == 3.12963);
  CHECK(expected[13].exit_date == "2013-11-14");
  CHECK_FALSE(holding);

  const RunResult run = run_fixture("rsi.yaml");
  check_trades(run, expected);
  CHECK(run.summary.trades == 14);
  CHECK(run.summary.open_positions.empty());
}

TEST_CASE("donchian_breakout: close above the 20-bar high, below the 20-bar low (ORCL)", "[strategies][builtin]") {
  const auto bars = sample_bars("ORCL", "1995-01-03", "2014-12-31");
  const auto hh = talib_column("orcl-1995-2014.talib.csv", "highest_high_20");
  const auto ll = talib_column("orcl-1995-2014.talib.csv", "lowest_low_20");
  Trade open{};
  bool holding = false;
  const auto expected = simulate(
      bars,
      [&](std::size_t i, bool held) -> std::string {
        if (i == 0) return "";
        const double hi = hh.at(bars[i - 1].date), lo = ll.at(bars[i - 1].date);  // channel to the previous bar
        if (!held && !std::isnan(hi) && bars[i].close > hi) return "buy";
        if (held && !std::isnan(lo) && bars[i].close < lo) return "sell";
        return "";
      },
      open, holding);
  // By hand: 56 round trips, the first 1995-02-16 at 2.259259 -> 1995-04-07 at
  // 2.222222; still long at the end, since 2014-11-06 at 39.220001.
  REQUIRE(expected.size() == 56);
  CHECK(expected[0].entry_date == "1995-02-16");
  CHECK(expected[0].exit_price == 2.222222);
  REQUIRE(holding);
  CHECK(open.entry_date == "2014-11-06");

  const RunResult run = run_fixture("donchian.yaml");
  check_trades(run, expected);
  REQUIRE(run.summary.open_positions.size() == 1);
  CHECK(run.summary.open_positions[0].quantity == 100);
  CHECK(run.summary.open_positions[0].avg_price == 39.220001);
}

TEST_CASE("buy_and_hold: one buy per symbol on its first bar, held to the end", "[strategies][builtin]") {
  const RunResult run = run_fixture("buy_and_hold.yaml");
  const CsvTable fills = read_csv(run.results_dir + "/fills.csv");
  // Each symbol's first bar signals; the fill is the next bar's open.
  REQUIRE(fills.rows.size() == 3);
  CHECK(fills.at(0, "timestamp") == "1995-01-04");
  CHECK(fills.num(0, "price") == 2.123457);
  CHECK(fills.at(1, "timestamp") == "1996-04-15");
  CHECK(fills.num(1, "price") == 1.489583);
  CHECK(fills.at(2, "timestamp") == "1999-01-25");
  CHECK(fills.num(2, "price") == 1.770833);
  CHECK(run.summary.signals == 3);
  CHECK(run.summary.trades == 0);

  // Equity = cash left + 100 x each last close of 2014.
  double cash = 100000, value = 0;
  for (double p : {2.123457, 1.489583, 1.770833}) cash -= 100 * p + 100 * p * 0.001;
  for (const char* sym : {"ORCL", "YHOO", "NVDA"})
    value += 100 * sample_bars(sym, "1995-01-03", "2014-12-31").back().close;
  CHECK(close_rel(run.summary.final_cash, cash));
  CHECK(close_rel(run.summary.final_equity, cash + value));
}

TEST_CASE("momentum: top 1 of 3 by 126-bar ROC, rebalanced on each month's first bar", "[strategies][builtin]") {
  const std::vector<std::string> names{"ORCL", "YHOO", "NVDA"};
  std::map<std::string, std::map<std::string, SampleBar>> by_date;
  std::set<std::string> dates;
  for (const auto& n : names)
    for (const auto& b : sample_bars(n, "1995-01-03", "2014-12-31")) {
      by_date[n][b.date] = b;
      dates.insert(b.date);
    }
  // The rule as documented, on the merged calendar.
  struct Fill {
    std::string date, symbol, side;
    double price;
  };
  std::vector<Fill> expected;
  std::map<std::string, std::vector<double>> closes;
  std::map<std::string, bool> held;
  std::vector<std::pair<std::string, std::string>> pending;  // symbol, side
  std::string last_month;
  for (const auto& d : dates) {
    std::vector<std::pair<std::string, std::string>> still;
    for (const auto& [sym, side] : pending) {
      auto it = by_date[sym].find(d);
      if (it == by_date[sym].end()) {
        still.emplace_back(sym, side);
        continue;
      }
      held[sym] = side == "buy";
      expected.push_back({d, sym, side, it->second.open});
    }
    pending = still;
    for (const auto& n : names)
      if (by_date[n].count(d)) closes[n].push_back(by_date[n][d].close);
    if (d.substr(0, 7) == last_month) continue;
    last_month = d.substr(0, 7);
    std::vector<std::pair<double, std::size_t>> ranked;  // (-roc, symbol order)
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto& c = closes[names[i]];
      if (!by_date[names[i]].count(d) || c.size() <= 126) continue;
      ranked.emplace_back(-((c.back() / c[c.size() - 127]) - 1) * 100, i);
    }
    std::sort(ranked.begin(), ranked.end());
    const std::string top = ranked.empty() ? "" : names[ranked[0].second];
    for (const auto& n : names)
      if (held[n] && n != top) pending.emplace_back(n, "sell");
    if (!top.empty() && !held[top]) pending.emplace_back(top, "buy");
  }
  // By hand: 87 fills; the first buys ORCL on 1995-07-05 at 2.907408, the
  // first rotation sells ORCL and buys YHOO on 1997-02-04; YHOO held at the end.
  REQUIRE(expected.size() == 87);
  CHECK(expected[0].date == "1995-07-05");
  CHECK(expected[2].symbol == "YHOO");

  const RunResult run = run_fixture("momentum.yaml");
  const CsvTable fills = read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() == expected.size());
  // Fills of one day are in symbol order in fills.csv; compare as sets per day.
  auto key = [](const std::string& d, const std::string& s, const std::string& side, double p) {
    return d + " " + s + " " + side + " " + std::to_string(p);
  };
  std::multiset<std::string> want, got;
  for (const auto& f : expected) want.insert(key(f.date, f.symbol, f.side, f.price));
  for (std::size_t i = 0; i < fills.rows.size(); ++i)
    got.insert(key(fills.at(i, "timestamp"), fills.at(i, "symbol"), fills.at(i, "side"), fills.num(i, "price")));
  CHECK(got == want);
  REQUIRE(run.summary.open_positions.size() == 1);
  CHECK(run.summary.open_positions[0].symbol == "YHOO");
}

TEST_CASE("momentum with fixed_fraction: the first buy is 95% of equity at the signal's close", "[strategies][builtin][risk]") {
  const RunResult run = run_fixture("momentum_fraction.yaml");
  const CsvTable fills = read_csv(run.results_dir + "/fills.csv");
  REQUIRE(fills.rows.size() >= 3);
  // Signal on 1995-07-03 (July's first bar), fill on 1995-07-05 at the open.
  const auto orcl = sample_bars("ORCL", "1995-06-01", "1995-07-31");
  const auto signal_bar = std::find_if(orcl.begin(), orcl.end(), [](const SampleBar& b) { return b.date == "1995-07-03"; });
  REQUIRE(signal_bar != orcl.end());
  CHECK(fills.at(0, "timestamp") == "1995-07-05");
  CHECK(fills.num(0, "quantity") == std::floor(0.95 * 100000 / signal_bar->close + 1e-9));
  // The rotation signalled on 1997-02-03 closes all of ORCL and sizes the YHOO
  // buy with the close's proceeds counted as cash (use_close_proceeds):
  // min(0.95 x equity, (cash + proceeds less commission) / 1.001) / YHOO's close.
  const double q = fills.num(0, "quantity");
  const double cash = 100000 - q * 2.907408 - q * 2.907408 * 0.001;
  const double orcl_close = sample_bars("ORCL", "1997-02-03", "1997-02-03").at(0).close;
  const double yhoo_close = sample_bars("YHOO", "1997-02-03", "1997-02-03").at(0).close;
  const double equity = cash + q * orcl_close;
  const double spendable = (cash + q * orcl_close - q * orcl_close * 0.001) / 1.001;
  const double want = std::floor(std::min(0.95 * equity, spendable) / yhoo_close + 1e-9);
  SQLite::Database db(run.results_dir + "/events.sqlite");
  SQLite::Statement orders(db, "SELECT symbol, json_extract(data, '$.quantity') FROM events "
                               "WHERE type = 'order' AND time = '1997-02-03' ORDER BY seq");
  REQUIRE(orders.executeStep());
  CHECK(orders.getColumn(0).getString() == "ORCL");
  CHECK(orders.getColumn(1).getDouble() == q);
  REQUIRE(orders.executeStep());
  CHECK(orders.getColumn(0).getString() == "YHOO");
  CHECK(orders.getColumn(1).getDouble() == want);
  // Execution nets the batch as the policy did: no rotation buy is refused
  // for cash its own batch's sale frees, at acceptance or at the fill.
  CHECK(run.summary.rejections == 0);
  CHECK(run.summary.fills == run.summary.orders);
}
