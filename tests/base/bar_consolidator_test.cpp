// BarConsolidator against an independent aggregation of real 5-minute bars
// (tests/fixtures/bars/data/ESTX.csv): the windows are grouped here from the
// date and time text of each row with a plain loop, and every consolidated
// bar, and the source bar that hands it out, must match exactly.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "qtrader/bar_consolidator.hpp"

using namespace qtrader;

namespace {

constexpr Timestamp kMin = 60 * kNanosPerSecond;

struct Row {
  std::string date;
  int minute = 0;  // of the day
  Bar bar;         // ts = the naive time read as UTC
};

Timestamp midnight_of(const std::string& date) {
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
  const std::chrono::sys_days day{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  return static_cast<Timestamp>(day.time_since_epoch().count()) * kNanosPerDay;
}

std::vector<Row> fixture_rows() {
  std::ifstream in(std::string(QTRADER_FIXTURES_DIR) + "/bars/data/ESTX.csv");
  REQUIRE(in);
  std::string line;
  std::getline(in, line);  // header
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) c.push_back(cell);
    Row r;
    r.date = c[0];
    r.minute = std::stoi(c[1].substr(0, 2)) * 60 + std::stoi(c[1].substr(3, 2));
    r.bar.ts = midnight_of(r.date) + r.minute * kMin;
    r.bar.symbol = 0;
    r.bar.open = std::stod(c[2]);
    r.bar.high = std::stod(c[3]);
    r.bar.low = std::stod(c[4]);
    r.bar.close = std::stod(c[5]);
    r.bar.volume = std::stod(c[6]);
    rows.push_back(r);
  }
  return rows;
}

// One expected window: its bar, and the index of the source row that
// completes it (its last row when that row's end reaches the window's end,
// else the first row of the next window).
struct Expected {
  Bar bar;
  std::size_t emitted_at;
};

// minutes > 0: windows of that many minutes within the day; 0: whole days.
// Weeks: `week` groups by the Monday of the date. Keys come from the text.
std::vector<Expected> aggregate(const std::vector<Row>& rows, int minutes, bool week = false) {
  std::vector<Expected> out;
  std::vector<std::size_t> last_row;
  std::vector<Timestamp> ends;
  std::string key;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    Timestamp start = midnight_of(r.date), end = start + kNanosPerDay;
    if (minutes > 0) {
      start += (r.minute / minutes) * minutes * kMin;
      end = start + minutes * kMin;
    }
    if (week) {
      const auto days = std::chrono::sys_days{std::chrono::days{start / kNanosPerDay}};
      const std::chrono::weekday wd{days};
      const int back = static_cast<int>((wd.c_encoding() + 6) % 7);  // days since Monday
      start -= back * kNanosPerDay;
      end = start + 7 * kNanosPerDay;
    }
    const std::string k = std::to_string(start);
    if (k != key) {
      key = k;
      Expected e{r.bar, 0};
      e.bar.ts = start;
      out.push_back(e);
      last_row.push_back(i);
      ends.push_back(end);
      continue;
    }
    Bar& b = out.back().bar;
    b.high = std::max(b.high, r.bar.high);
    b.low = std::min(b.low, r.bar.low);
    b.close = r.bar.close;
    b.volume += r.bar.volume;
    last_row.back() = i;
  }
  for (std::size_t g = 0; g < out.size(); ++g) {
    const Row& last = rows[last_row[g]];
    out[g].emitted_at = last.bar.ts + 5 * kMin >= ends[g] ? last_row[g] : last_row[g] + 1;
  }
  // A window that no later bar closes is never handed out.
  while (!out.empty() && out.back().emitted_at >= rows.size()) out.pop_back();
  return out;
}

struct Got {
  Bar bar;
  std::size_t emitted_at;
};

std::vector<Got> consolidate(const std::vector<Row>& rows, const char* tf, Timestamp step,
                             const TimeZone& zone = TimeZone::utc()) {
  BarConsolidator c(*parse_timeframe(tf), zone, step);
  std::array<Bar, 2> out;
  std::vector<Got> got;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const int n = c.add(rows[i].bar, out);
    for (int k = 0; k < n; ++k) got.push_back({out[k], i});
  }
  return got;
}

void require_equal(const std::vector<Got>& got, const std::vector<Expected>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("window " << i << " at " << want[i].bar.ts);
    CHECK(got[i].bar.ts == want[i].bar.ts);
    CHECK(got[i].bar.open == want[i].bar.open);
    CHECK(got[i].bar.high == want[i].bar.high);
    CHECK(got[i].bar.low == want[i].bar.low);
    CHECK(got[i].bar.close == want[i].bar.close);
    CHECK(got[i].bar.volume == want[i].bar.volume);
    CHECK(got[i].emitted_at == want[i].emitted_at);
  }
}

}  // namespace

TEST_CASE("consolidated 15m, 1h, 1d and 1w bars equal an independent aggregation of real 5m bars",
          "[consolidation]") {
  const auto rows = fixture_rows();
  REQUIRE(rows.size() == 1020);
  const auto m15 = aggregate(rows, 15), h1 = aggregate(rows, 60), d1 = aggregate(rows, 0);
  // 10 days of 09:05-17:30: 35 quarter hours a day (the last one of the run
  // is never closed), 9 hours a day, and 9 of the 10 days.
  CHECK(m15.size() == 349);
  CHECK(h1.size() == 89);
  CHECK(d1.size() == 9);
  require_equal(consolidate(rows, "15m", 5 * kMin), m15);
  require_equal(consolidate(rows, "1h", 5 * kMin), h1);
  require_equal(consolidate(rows, "1d", 5 * kMin), d1);
  const auto w1 = aggregate(rows, 0, /*week=*/true);
  REQUIRE(w1.size() == 1);  // 2006-01-02..06; the second week is never closed
  CHECK(w1[0].bar.ts == midnight_of("2006-01-02"));
  require_equal(consolidate(rows, "1w", 5 * kMin), w1);
}

TEST_CASE("without a declared bar size a window is handed out by the next window's first bar",
          "[consolidation]") {
  const auto rows = fixture_rows();
  auto want = aggregate(rows, 60);
  // Every hour is closed by the next hour's first bar instead of its own last.
  std::vector<Got> got = consolidate(rows, "1h", 0);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].bar.ts == want[i].bar.ts);
    CHECK(got[i].bar.close == want[i].bar.close);
    CHECK(rows[got[i].emitted_at].bar.ts >= want[i].bar.ts + 60 * kMin);
    CHECK(rows[got[i].emitted_at - 1].bar.ts < want[i].bar.ts + 60 * kMin);
  }
}

TEST_CASE("daily windows follow the source's local day", "[consolidation]") {
  auto rows = fixture_rows();
  // The rows as New York wall-clock times (EST, UTC-5 in January).
  const auto ny = TimeZone::find("America/New_York");
  REQUIRE(ny);
  for (auto& r : rows) r.bar.ts += 5 * 60 * kMin;
  const auto got = consolidate(rows, "1d", 5 * kMin, *ny);
  const auto want = aggregate(fixture_rows(), 0);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].bar.ts == want[i].bar.ts + 5 * 60 * kMin);  // local midnight, in UTC
    CHECK(got[i].bar.close == want[i].bar.close);
  }
  // Hours align to the local clock too: 09:05 local is in [09:00, 10:00) local.
  const Window w = window_of(*parse_timeframe("1h"), *ny, rows[0].bar.ts);
  CHECK(w.start == midnight_of("2006-01-02") + 14 * 60 * kMin);
}

TEST_CASE("missing minutes, volume sums and a dropped first window", "[consolidation]") {
  auto bar = [](int minute, double price, double volume) {
    Bar b;
    b.ts = midnight_of("2024-03-04") + minute * kMin;
    b.symbol = 0;
    b.open = b.high = b.low = b.close = price;
    b.volume = volume;
    return b;
  };
  const int t0 = 9 * 60 + 30;
  BarConsolidator c(*parse_timeframe("5m"), TimeZone::utc(), kMin);
  std::array<Bar, 2> out;
  CHECK(c.add(bar(t0, 10, 1), out) == 0);
  CHECK(c.add(bar(t0 + 1, 12, 2), out) == 0);
  CHECK(c.add(bar(t0 + 3, 9, 4), out) == 0);  // 09:32 and 09:34 are missing
  // 09:36 closes [09:30, 09:35) and starts [09:35, 09:40).
  REQUIRE(c.add(bar(t0 + 6, 11, 8), out) == 1);
  CHECK(out[0].ts == bar(t0, 0, 0).ts);
  CHECK(out[0].open == 10);
  CHECK(out[0].high == 12);
  CHECK(out[0].low == 9);
  CHECK(out[0].close == 9);
  CHECK(out[0].volume == 7);
  // 09:44 closes [09:35, 09:40) (by arrival) and [09:40, 09:45) (its last minute).
  REQUIRE(c.add(bar(t0 + 14, 13, 16), out) == 2);
  CHECK(out[0].ts == bar(t0 + 5, 0, 0).ts);
  CHECK(out[0].volume == 8);
  CHECK(out[1].ts == bar(t0 + 10, 0, 0).ts);
  CHECK(out[1].close == 13);

  BarConsolidator late(*parse_timeframe("5m"), TimeZone::utc(), kMin, /*drop_first=*/true);
  CHECK(late.add(bar(t0 + 2, 10, 1), out) == 0);
  CHECK(late.add(bar(t0 + 4, 10, 1), out) == 0);  // the partial window is dropped
  CHECK(late.add(bar(t0 + 9, 10, 1), out) == 1);  // [09:35, 09:40), whole
}

TEST_CASE("timeframe names", "[consolidation]") {
  for (const char* ok : {"30s", "1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"}) {
    INFO(ok);
    REQUIRE(parse_timeframe(ok));
    CHECK(parse_timeframe(ok)->name() == ok);
  }
  for (const char* bad : {"", "m", "0m", "7m", "5x", "2d", "5h", "-1m", "1.5h"}) {
    INFO(bad);
    CHECK_FALSE(parse_timeframe(bad));
  }
}
