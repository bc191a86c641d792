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
