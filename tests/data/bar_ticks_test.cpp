// The ticks of each bar (data/bar_ticks.hpp, for on_tick): cut from the CSV
// by the rule that folds them into bars, so the ticks handed out for a bar
// fold back into exactly that bar, for time, trade-count and volume bars,
// whether every bar is asked for or only some.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include "data/bar_ticks.hpp"
#include "data_test_support.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

// A seeded hour of trades with bursts at one instant (activity bars take a
// whole instant) and quiet minutes; returns the number of trades.
std::size_t write_trades(const std::string& path) {
  std::mt19937_64 rng(11);
  std::ofstream out(path);
  out << "timestamp,price,size,bid,ask\n";
  const Timestamp start = *parse_date("2024-03-04") + (14 * 3600 + 30 * 60) * kNanosPerSecond;
  long cents = 10000;
  std::size_t n = 0;
  for (Timestamp ms = 0; ms < 3600 * 1000; ms += 1 + static_cast<Timestamp>(rng() % 4000)) {
    if (ms / 60000 == 12 || ms / 60000 == 13) continue;  // two minutes without trades
    const int burst = rng() % 10 == 0 ? 1 + static_cast<int>(rng() % 4) : 1;
    for (int k = 0; k < burst; ++k, ++n) {
      cents += static_cast<long>(rng() % 3) - 1;
      out << (start + ms * 1'000'000) << "," << cents / 100 << "." << (cents % 100 < 10 ? "0" : "")
          << cents % 100 << "," << 100 * (1 + rng() % 5) << ",,\n";
    }
  }
  return n;
}

DataSourceConfig tick_source(const std::string& bar_size) {
  DataSourceConfig s;
  s.name = "ticks";
  s.kind = "ticks";
  s.bar_size = bar_size;
  return s;
}

std::vector<Bar> bars_of(const DataSourceConfig& src, const std::string& path) {
  BarCacheConfig off;
  off.enabled = false;
  auto stream = open_bar_stream(src, path, 2, kNoStart, kNoEnd, off);
  return read_all(*stream);
}

// The ticks BarTicks gives `bar`, folded as a bar (count in adj_close).
Bar fold(BarTicks& ticks, const Bar& bar) {
  Bar b;
  b.ts = bar.ts;
  b.symbol = bar.symbol;
  b.adj_close = 0;
  b.volume = 0;
  for (bool more = ticks.start(bar); more; more = ticks.next()) {
    const Tick& t = ticks.tick();
    CHECK(t.symbol == 2);
    CHECK(std::isnan(t.bid));
    if (b.adj_close == 0) b.open = b.high = b.low = t.price;
    b.high = std::max(b.high, t.price);
    b.low = std::min(b.low, t.price);
    b.close = t.price;
    b.volume += t.size;
    b.adj_close += 1;
  }
  return b;
}

}  // namespace

TEST_CASE("the ticks of each bar fold back into that bar", "[data][ticks]") {
  TempDir dir("bar_ticks");
  const std::string path = dir.str() + "/TICK.csv";
  const std::size_t trades = write_trades(path);
  REQUIRE(trades > 1500);
  for (const std::string size : {"1m", "5m", "7t", "2000v"}) {
    for (const int every : {1, 3}) {  // every bar, or every third (the others skipped)
      INFO(size << " every " << every);
      const auto bars = bars_of(tick_source(size), path);
      REQUIRE(bars.size() > 10);
      BarTicks ticks(tick_source(size), path, 2);
      double handed = 0;
      for (std::size_t i = 0; i < bars.size(); i += every) {
        const Bar got = fold(ticks, bars[i]);
        INFO("bar " << i);
        CHECK(got.open == bars[i].open);
        CHECK(got.high == bars[i].high);
        CHECK(got.low == bars[i].low);
        CHECK(got.close == bars[i].close);
        CHECK(got.volume == bars[i].volume);
        if (size == "7t" && i + 1 < bars.size()) CHECK(got.adj_close >= 7);  // the file's last bar may hold fewer
        handed += got.adj_close;
      }
      if (every == 1) CHECK(handed == static_cast<double>(trades));
    }
  }
}

TEST_CASE("bar ticks read bid and ask where the file has them", "[data][ticks]") {
  const std::string path = QTRADER_FIXTURES_DIR "/ticks/data/AAA.csv";
  const auto bars = bars_of(tick_source("1m"), path);
  REQUIRE(bars.size() == 4);
  BarTicks ticks(tick_source("1m"), path, 2);
  REQUIRE(ticks.start(bars[1]));  // 14:31: the 14:30 bar's ticks are skipped
  CHECK(ticks.tick().price == 101.0);
  CHECK(ticks.tick().bid == 100.99);
  CHECK(ticks.tick().ask == 101.01);
  REQUIRE(ticks.next());
  CHECK(ticks.tick().price == 101.5);
  CHECK_FALSE(ticks.next());  // 14:32:00 is the next bar's
  REQUIRE(ticks.start(bars[2]));
  CHECK(ticks.tick().ts == *parse_date("2024-03-04") + (14 * 3600 + 32 * 60) * kNanosPerSecond);
  CHECK_FALSE(ticks.next());
}
