// Trade ticks (kind: ticks) read into time bars: against an aggregation
// written here over the same trades, in the three timestamp forms; bad rows
// name their file and line.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>

#include "data_test_support.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

struct Trade {
  Timestamp ts;  // ns, UTC
  double price, size;
};

// A seeded day of trades 14:30-15:30 UTC with quiet minutes (no trade).
std::vector<Trade> trades() {
  std::mt19937_64 rng(7);
  std::vector<Trade> out;
  const Timestamp day = *parse_date("2024-03-04");
  long cents = 10000;
  for (Timestamp us = 0; us < 3600LL * 1'000'000; us += 1 + static_cast<Timestamp>(rng() % 900'000)) {
    const int minute = static_cast<int>(us / 60'000'000);
    if (minute == 7 || minute == 8 || minute == 31) continue;  // no trades in these minutes
    cents += static_cast<long>(rng() % 3) - 1;
    out.push_back({day + (14 * 3600 + 30 * 60) * kNanosPerSecond + us * 1000,
                   static_cast<double>(cents) / 100, static_cast<double>(100 * (1 + rng() % 5))});
  }
  return out;
}

std::string two(long v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// "text", "ms" or "ns" timestamps.
std::string write_ticks(const TempDir& dir, const std::vector<Trade>& ts, const std::string& form) {
  const std::string path = dir.str() + "/TICK.csv";
  std::ofstream out(path);
  out << "size,timestamp,price,bid,ask\n";  // any order; bid/ask may be empty
  for (const Trade& t : ts) {
    out << t.size << ",";
    if (form == "ns") {
      out << t.ts;
    } else if (form == "ms") {
      out << t.ts / 1'000'000;
    } else {
      const Timestamp in_day = t.ts % kNanosPerDay, s = in_day / kNanosPerSecond;
      char frac[16];
      std::snprintf(frac, sizeof frac, "%06lld", static_cast<long long>(in_day % kNanosPerSecond / 1000));
      out << "2024-03-04T" << two(s / 3600) << ":" << two(s / 60 % 60) << ":" << two(s % 60) << "."
          << frac << "Z";
    }
    char price[32];
    std::snprintf(price, sizeof price, "%.2f", t.price);
    out << "," << price << ",,\n";
  }
  return path;
}

// Minute bars by a map keyed on the minute: a different route than the stream's.
std::vector<Bar> minute_bars(const std::vector<Trade>& ts, Timestamp unit_ns) {
  std::map<Timestamp, Bar> by;
  for (const Trade& t : ts) {
    const Timestamp key = t.ts / unit_ns * unit_ns;
    auto [it, fresh] = by.try_emplace(key);
    Bar& b = it->second;
    if (fresh) {
      b.ts = key;
      b.open = b.high = b.low = t.price;
      b.volume = 0;
    }
    b.high = std::max(b.high, t.price);
    b.low = std::min(b.low, t.price);
    b.close = t.price;
    b.volume += t.size;
  }
  std::vector<Bar> out;
  for (auto& [k, b] : by) out.push_back(b);
  return out;
}

DataSourceConfig tick_source(const std::string& bar_size) {
  DataSourceConfig s;
  s.name = "ticks";
  s.kind = "ticks";
  s.bar_size = bar_size;
  return s;
}

std::vector<Bar> read_all(const DataSourceConfig& src, const std::string& path,
                          Timestamp start = kNoStart, Timestamp end = kNoEnd) {
  auto stream = open_bar_stream(src, path, 3, start, end, BarCacheConfig{});
  std::vector<Bar> bars;
  Bar b;
  while (stream->next(b)) bars.push_back(b);
  return bars;
}

}  // namespace

TEST_CASE("ticks become time bars equal to an independent aggregation", "[data][ticks]") {
  const auto ts = trades();
  REQUIRE(ts.size() > 5000);
  for (const std::string form : {"text", "ms", "ns"}) {
    // Millisecond stamps put a trade in the minute of its truncated time: the same minute.
    TempDir dir("ticks");
    const std::string path = write_ticks(dir, ts, form);
    for (const auto& [size, unit] : {std::pair{"1m", 60 * kNanosPerSecond}, {"5m", 300 * kNanosPerSecond}}) {
      INFO(form << " " << size);
      const auto want = minute_bars(ts, unit);
      const auto got = read_all(tick_source(size), path);
      REQUIRE(got.size() == want.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].ts == want[i].ts);
        CHECK(got[i].symbol == 3);
        CHECK(got[i].open == want[i].open);
        CHECK(got[i].high == want[i].high);
        CHECK(got[i].low == want[i].low);
        CHECK(got[i].close == want[i].close);
        CHECK(got[i].volume == want[i].volume);
      }
    }
  }
  // 60 minutes less the three without trades.
  CHECK(minute_bars(ts, 60 * kNanosPerSecond).size() == 57);
}

TEST_CASE("tick bars keep the backtest's dates", "[data][ticks]") {
  TempDir dir("ticks");
  const std::string path = write_ticks(dir, trades(), "ns");
  CHECK(read_all(tick_source("1m"), path, *parse_date("2024-03-04"), *parse_date("2024-03-04")).size() == 57);
  CHECK(read_all(tick_source("1m"), path, *parse_date("2024-03-05"), kNoEnd).empty());
  CHECK(read_all(tick_source("1m"), path, kNoStart, *parse_date("2024-03-03")).empty());
}

TEST_CASE("bad tick rows name their file and line", "[data][ticks]") {
  TempDir dir("ticks");
  auto fails = [&](const std::string& body, long line, const std::string& what) {
    const std::string path = dir.str() + "/BAD.csv";
    std::ofstream(path) << body;
    INFO(body);
    try {
      read_all(tick_source("1m"), path);
      FAIL("no error");
    } catch (const DataError& e) {
      CHECK(e.file() == path);
      CHECK(e.line() == line);
      CHECK_THAT(e.reason(), Catch::Contains(what));
    }
  };
  fails("time,price,size\n1,2,3\n", 1, "no column 'timestamp'");
  fails("timestamp,price,size\n2024-03-04 10:00:01,5,1\n2024-03-04 10:00:00,5,1\n", 3, "out of order");
  fails("timestamp,price,size\n2024-03-04 10:00:01,-5,1\n", 2, "not positive");
  fails("timestamp,price,size\n2024-03-04 10:00:01,5\n", 2, "2 fields, the header has 3");
  fails("timestamp,price,size\n2024-13-04 10:00:01,5,1\n", 2, "is not a time");
  fails("timestamp,price,size\n2024-03-04 10:00:01,5,x\n", 2, "size 'x' is not a number");
}

// ---- trade-count and volume bars -------------------------------------------------

namespace {

// Bars of `limit` trades (or volume), by walking an index: a bar closes once
// it holds `limit`, then takes the further trades of its last trade's instant.
std::vector<Bar> activity_bars(const std::vector<Trade>& ts, double limit, bool by_volume) {
  std::vector<Bar> out;
  std::size_t i = 0;
  while (i < ts.size()) {
    Bar b;
    b.ts = ts[i].ts;
    b.open = b.high = b.low = ts[i].price;
    b.volume = 0;
    double held = 0;
    std::size_t j = i;
    for (; j < ts.size() && (held < limit || ts[j].ts == ts[j - 1].ts); ++j) {
      b.high = std::max(b.high, ts[j].price);
      b.low = std::min(b.low, ts[j].price);
      b.close = ts[j].price;
      b.volume += ts[j].size;
      held += by_volume ? ts[j].size : 1;
    }
    out.push_back(b);
    i = j;
  }
  return out;
}

void check_same(const std::vector<Bar>& got, const std::vector<Bar>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("bar " << i);
    CHECK(got[i].ts == want[i].ts);
    CHECK(got[i].open == want[i].open);
    CHECK(got[i].high == want[i].high);
    CHECK(got[i].low == want[i].low);
    CHECK(got[i].close == want[i].close);
    CHECK(got[i].volume == want[i].volume);
  }
}

}  // namespace

TEST_CASE("trade-count bars (bar_size: 100t) equal an independent aggregation", "[data][ticks][activity]") {
  const auto ts = trades();
  TempDir dir("ticks-count");
  const std::string path = write_ticks(dir, ts, "ns");
  const auto want = activity_bars(ts, 100, false);
  CHECK(want.size() == (ts.size() + 99) / 100);  // no two trades share an instant here
  check_same(read_all(tick_source("100t"), path), want);
}

TEST_CASE("volume bars (bar_size: 25000v) equal an independent aggregation", "[data][ticks][activity]") {
  const auto ts = trades();
  TempDir dir("ticks-volume");
  const std::string path = write_ticks(dir, ts, "ns");
  const auto want = activity_bars(ts, 25000, true);
  REQUIRE(want.size() > 50);
  check_same(read_all(tick_source("25000v"), path), want);
}

TEST_CASE("an activity bar takes every trade of the instant that fills it", "[data][ticks][activity]") {
  TempDir dir("ticks-same-instant");
  const Timestamp t0 = *parse_timestamp("2024-03-04 14:30:00");
  const std::vector<Trade> ts = {{t0, 10.00, 100}, {t0 + 1000, 10.01, 100}, {t0 + 1000, 10.02, 100},
                                 {t0 + 1000, 9.99, 100}, {t0 + 2000, 10.03, 100}, {t0 + 3000, 10.04, 100}};
  const std::string path = write_ticks(dir, ts, "ns");
  const auto got = read_all(tick_source("2t"), path);
  // [t0, t0+1µs x3] then [t0+2µs, t0+3µs]: no bar starts at t0+1µs a second time.
  REQUIRE(got.size() == 2);
  CHECK(got[0].ts == t0);
  CHECK(got[0].volume == 400);
  CHECK(got[0].close == 9.99);
  CHECK(got[0].high == 10.02);
  CHECK(got[1].ts == t0 + 2000);
  CHECK(got[1].open == 10.03);
  check_same(got, activity_bars(ts, 2, false));
}

// ---- the bar cache keeps a tick file's bars ------------------------------------

TEST_CASE("a tick file's bars come from the bar cache on the second read, keyed by bar_size",
          "[data][ticks][cache]") {
  const auto ts = trades();
  TempDir dir("ticks-cache"), cache_dir("ticks-cache-dir");
  const std::string path = write_ticks(dir, ts, "ns");
  const BarCacheConfig cache{true, cache_dir.str()};
  const auto read = [&](const std::string& size) {
    auto stream = open_bar_stream(tick_source(size), path, 3, kNoStart, kNoEnd, cache);
    std::vector<Bar> bars;
    Bar b;
    while (stream->next(b)) bars.push_back(b);
    return bars;
  };
  const auto count_cache_files = [&] {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(cache_dir.str()))
      n += e.path().extension() == ".bars";
    return n;
  };
  const auto want = minute_bars(ts, 60 * kNanosPerSecond);
  check_same(read("1m"), want);  // folds the ticks, writes the cache file
  REQUIRE(count_cache_files() == 1);
  std::filesystem::path cache_file;
  for (const auto& e : std::filesystem::directory_iterator(cache_dir.str()))
    if (e.path().extension() == ".bars") cache_file = e.path();
  const auto written = std::filesystem::last_write_time(cache_file);
  // A made file is used, never rewritten: the second read serves it as it is.
  check_same(read("1m"), want);
  CHECK(count_cache_files() == 1);
  CHECK(std::filesystem::last_write_time(cache_file) == written);
  check_same(read("5m"), minute_bars(ts, 300 * kNanosPerSecond));  // another bar_size: another file
  CHECK(count_cache_files() == 2);
  check_same(read("100t"), activity_bars(ts, 100, false));
  CHECK(count_cache_files() == 3);
}
