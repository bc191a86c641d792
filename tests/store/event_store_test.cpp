// After a run, events.sqlite holds every event in order, and its counts agree
// with summary.json. Bars are in the `bars` table (chunks of columns), the
// other events in `events`; together their seqs number every event once.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "csv_table.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/time.hpp"
#include "store/bar_rows.hpp"
#include "store/event_store.hpp"
#include "store/memory_event_store.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
namespace fs = std::filesystem;

TEST_CASE("events.sqlite holds bars, signals, orders and fills in seq order", "[golden][store]") {
  const std::string fixtures = QTRADER_FIXTURES_DIR;
  EngineOptions eo;
  eo.system_config = fixtures + "/golden/system_full_store.yaml";
  Engine engine(eo);
  RunOptions ro;
  const test::TempDir out("store");
  ro.output_dir = out.str();
  ro.quiet = true;
  const auto run = engine.run(fixtures + "/golden/orcl.yaml", ro);

  std::ifstream in(run.results_dir + "/summary.json");
  const auto summary = nlohmann::json::parse(in);

  SQLite::Database db(run.results_dir + "/events.sqlite", SQLite::OPEN_READONLY);
  auto count = [&](const char* type) {
    SQLite::Statement q(db, "SELECT COUNT(*) FROM events WHERE type = ?");
    q.bind(1, type);
    q.executeStep();
    return q.getColumn(0).getInt64();
  };
  SQLite::Statement bar_count(db, "SELECT SUM(n) FROM bars");
  bar_count.executeStep();
  const std::int64_t bars = bar_count.getColumn(0).getInt64();
  CHECK(count("bar") == 0);  // bars live in their own table
  CHECK(bars == summary.at("bars_processed").get<std::int64_t>());
  CHECK(bars == 5036);
  CHECK(count("signal") == summary.at("signals").get<std::int64_t>());
  CHECK(count("order") == summary.at("orders").get<std::int64_t>());
  CHECK(count("fill") == summary.at("fills").get<std::int64_t>());
  CHECK(count("fill") == 195);  // backtrader's n_fills
  CHECK(count("backtest_start") == 1);
  CHECK(count("backtest_end") == 1);
  CHECK(count("portfolio_state") == 5036);

  SQLite::Statement rows(db, "SELECT COUNT(*) FROM events");
  rows.executeStep();
  CHECK(rows.getColumn(0).getInt64() + bars == summary.at("events").get<std::int64_t>());

  // The seqs of both tables together are exactly 1..N, and time never goes
  // backwards along them.
  std::vector<std::pair<std::uint64_t, Timestamp>> order;  // (seq, ts)
  SQLite::Statement events(db, "SELECT seq, ts FROM events");
  while (events.executeStep())
    order.emplace_back(events.getColumn(0).getInt64(), events.getColumn(1).getInt64());
  REQUIRE(bar_rows::symbols(db) == std::vector<std::string>{"ORCL"});
  const auto stored = bar_rows::read(db, "ORCL");
  REQUIRE(stored.size() == 5036);
  for (const auto& b : stored) order.emplace_back(b.seq, b.ts);
  std::sort(order.begin(), order.end());
  REQUIRE(order.size() == summary.at("events").get<std::size_t>());
  std::size_t out_of_place = 0, backwards = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i].first != i + 1) ++out_of_place;
    if (i && order[i].second < order[i - 1].second) ++backwards;
  }
  CHECK(out_of_place == 0);
  CHECK(backwards == 0);

  // Each bar holds the source file's row of its date, and the chunks hold
  // the bars in seq order.
  const auto csv = test::read_csv(std::string(QTRADER_SOURCE_DIR) + "/data/sample/ORCL.csv");
  REQUIRE(csv.rows.size() == stored.size());
  std::size_t mismatched = 0, unordered = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    const auto& b = stored[i];
    if (i && b.seq <= stored[i - 1].seq) ++unordered;
    if (format_timestamp(b.ts) != csv.at(i, "Date") || b.open != csv.num(i, "Open") ||
        b.high != csv.num(i, "High") || b.low != csv.num(i, "Low") || b.close != csv.num(i, "Close") ||
        b.volume != csv.num(i, "Volume") || b.adj_close != csv.num(i, "Adj Close"))
      ++mismatched;
  }
  CHECK(unordered == 0);
  CHECK(mismatched == 0);
  CHECK(stored.front().open == 2.179012);  // 1995-01-03, by hand from the file

  // Each fill follows its order.
  SQLite::Statement orphan(db,
      "SELECT COUNT(*) FROM events f WHERE f.type = 'fill' AND NOT EXISTS ("
      " SELECT 1 FROM events o WHERE o.type = 'order' AND o.seq < f.seq"
      " AND json_extract(o.data, '$.order_id') = json_extract(f.data, '$.order_id'))");
  orphan.executeStep();
  CHECK(orphan.getColumn(0).getInt64() == 0);
  SQLite::Statement first_fill(db, "SELECT time, json_extract(data, '$.price') FROM events WHERE type='fill' ORDER BY seq LIMIT 1");
  first_fill.executeStep();
  CHECK(first_fill.getColumn(0).getString() == "1995-05-12");
  CHECK(first_fill.getColumn(1).getDouble() == 2.37037);
}

namespace {

// Publishes `days` timestamps of `n_symbols` bars, with a fill after the first
// symbol's bar of every timestamp, into whatever store subscribed to `bus`.
void publish_bars(EventBus& bus, int days, SymbolId n_symbols) {
  constexpr Timestamp kDay = 86400LL * 1000000000LL;
  for (int d = 0; d < days; ++d) {
    for (SymbolId s = 0; s < n_symbols; ++s) {
      const Bar bar{d * kDay, s, 100.0 + d, 101.0 + d, 99.0 + d, 100.5 + d, 1000.0 * s, s ? kNaN : 50.0 + d};
      bus.publish(BarEvent{bar});
      if (s == 0) bus.publish(FillEvent{d * kDay, static_cast<OrderId>(d + 1), 0, 0, Side::Buy, 1, 100.0 + d, 0});
    }
  }
}

}  // namespace

TEST_CASE("the sqlite store cuts chunks when full and at each commit, and bar_rows decodes them", "[store]") {
  const test::TempDir tmp("bar-chunks");
  const fs::path dir = tmp.path();
  SymbolTable symbols;
  symbols.intern("AAA");
  symbols.intern("BBB");
  const std::vector<std::string> strategies{"s"};
  constexpr int kDays = 1500;  // one full chunk of 1024 per symbol, then a partial one
  {
    EventBus bus;
    EventStoreConfig config;
    auto store = EventStore::open(config, dir.string(), bus, symbols, strategies);
    publish_bars(bus, kDays, 2);
    CHECK(store->total() == 3 * kDays);
  }  // closing commits the partial chunks
  SQLite::Database db((dir / "events.sqlite").string(), SQLite::OPEN_READONLY);
  SQLite::Statement chunks(db, "SELECT symbol, symbol_id, first_seq, last_seq, first_ts, n FROM bars ORDER BY first_seq");
  std::vector<std::tuple<std::string, int, int, int, std::int64_t, int>> got;
  while (chunks.executeStep())
    got.emplace_back(chunks.getColumn(0).getString(), chunks.getColumn(1).getInt(), chunks.getColumn(2).getInt(),
                     chunks.getColumn(3).getInt(), chunks.getColumn(4).getInt64(), chunks.getColumn(5).getInt());
  // Per day the seqs are: AAA's bar, the fill, BBB's bar (3 d + 1, 3 d + 2, 3 d + 3).
  constexpr std::int64_t kDay = 86400LL * 1000000000LL;
  const decltype(got) expected{{"AAA", 0, 1, 3 * 1023 + 1, 0, 1024},
                               {"BBB", 1, 3, 3 * 1023 + 3, 0, 1024},
                               {"AAA", 0, 3 * 1024 + 1, 3 * (kDays - 1) + 1, 1024 * kDay, kDays - 1024},
                               {"BBB", 1, 3 * 1024 + 3, 3 * (kDays - 1) + 3, 1024 * kDay, kDays - 1024}};
  CHECK(got == expected);
  SQLite::Statement fills(db, "SELECT COUNT(*), MIN(seq), MAX(seq) FROM events WHERE type = 'fill'");
  fills.executeStep();
  CHECK(fills.getColumn(0).getInt() == kDays);
  CHECK(fills.getColumn(1).getInt() == 2);
  CHECK(fills.getColumn(2).getInt() == 3 * kDays - 1);

  CHECK(bar_rows::symbols(db) == std::vector<std::string>{"AAA", "BBB"});
  const auto bbb = bar_rows::read(db, "BBB");
  REQUIRE(bbb.size() == kDays);
  const auto& b = bbb[1100];  // in the second chunk
  CHECK(b.seq == 3 * 1100 + 3);
  CHECK(b.ts == 1100 * kDay);
  CHECK(b.open == 1200.0);
  CHECK(b.high == 1201.0);
  CHECK(b.low == 1199.0);
  CHECK(b.close == 1200.5);
  CHECK(b.volume == 1000.0);
  CHECK(std::isnan(b.adj_close));
  CHECK(bar_rows::read(db, "AAA")[7].adj_close == 57.0);
  CHECK(bar_rows::read(db, "CCC").empty());
}

TEST_CASE("the memory store keeps one entry per timestamp slice of bars", "[store]") {
  SymbolTable symbols;
  for (const char* s : {"AAA", "BBB", "CCC"}) symbols.intern(s);
  const std::vector<std::string> strategies{"s"};
  EventBus bus;
  MemoryEventStore store(bus, symbols, strategies);
  publish_bars(bus, 4, 3);
  CHECK(store.total() == 16);
  CHECK(store.count(EventType::Bar) == 12);
  REQUIRE(store.bar_slices().size() == 4);
  const auto& third = store.bar_slices()[2];  // seqs 9 (AAA), 10 (fill), 11, 12
  CHECK(third.ts == 2 * 86400LL * 1000000000LL);
  CHECK(third.first_seq == 9);
  CHECK(third.last_seq == 12);
  CHECK(third.count == 3);
  REQUIRE(store.records().size() == 4);  // the fills
  CHECK(store.records()[2].seq == 10);
  CHECK(store.json(store.records()[2]) ==
        R"({"order_id":3,"side":"buy","quantity":1,"price":102,"commission":0,"signal_id":0})");
}

// The memory store keeps trading events as they are and formats them when
// asked: the JSON must be the SQLite store's, byte for byte.
TEST_CASE("the memory store's trading events read back as the sqlite store wrote them", "[store]") {
  const test::TempDir tmp("kept-events");
  const fs::path dir = tmp.path();
  SymbolTable symbols;
  symbols.intern("AAA");
  const std::vector<std::string> strategies{"s"};
  constexpr Timestamp kDay = 86400LL * 1000000000LL;
  std::vector<std::string> memory_json;
  {
    EventBus bus;
    auto sqlite = EventStore::open(EventStoreConfig{}, dir.string(), bus, symbols, strategies);
    MemoryEventStore memory(bus, symbols, strategies);
    SignalEvent signal{kDay, 7, 0, 0, Intention::OpenLong, 101.25, kNaN, 95.0, kNaN, "a tag, \"quoted\" and long enough to leave SSO", {}};
    signal.order.type = OrderType::Limit;
    signal.order.limit_price = 100.5;
    bus.publish(signal);
    OrderEvent order{kDay, 3, 7, 0, 0, Side::Buy, 10, signal.order};
    bus.publish(order);
    bus.publish(OrderRejectedEvent{kDay, 0, 8, 0, 0, "insufficient cash: need 1.00, have 0.50"});
    bus.publish(FillEvent{2 * kDay, 3, 0, 0, Side::Buy, 4, 100.5, 0.4020000000000001});
    bus.publish(OrderUpdateEvent{2 * kDay, 3, 7, 0, 0, OrderStatus::PartiallyFilled, 4, 6, ""});
    bus.publish(OrderUpdateEvent{3 * kDay, 3, 7, 0, 0, OrderStatus::Cancelled, 4, 6, "cancelled by strategy"});
    REQUIRE(memory.records().size() == 6);
    for (const auto& r : memory.records()) memory_json.push_back(memory.json(r));
    bus.publish(BacktestEndEvent{3 * kDay, 0});  // commits the sqlite batch
  }
  SQLite::Database db((dir / "events.sqlite").string());
  SQLite::Statement q(db, "SELECT data FROM events WHERE type NOT IN ('backtest_end') ORDER BY seq");
  std::vector<std::string> sqlite_json;
  while (q.executeStep()) sqlite_json.push_back(q.getColumn(0).getString());
  CHECK(sqlite_json == memory_json);
  CHECK_THAT(memory_json[0], Catch::Contains(R"("tag":"a tag, \"quoted\" and long enough to leave SSO")"));
}

TEST_CASE("the none store counts every event and keeps none", "[store]") {
  SymbolTable symbols;
  for (const char* s : {"AAA", "BBB", "CCC"}) symbols.intern(s);
  const std::vector<std::string> strategies{"s"};
  EventBus bus;
  EventStoreConfig config;
  config.backend = EventStoreBackend::None;
  auto store = EventStore::open(config, "/nonexistent-folder", bus, symbols, strategies);
  publish_bars(bus, 4, 3);
  CHECK(store->total() == 16);
  CHECK(store->count(EventType::Bar) == 12);
  CHECK(store->count(EventType::Fill) == 4);
}
