// The live loop's parts: bars assembled from a feed's trades and bars, and
// the stale-data warning after a silence of the feed.
#include <thread>

#include <catch2/catch.hpp>

#include "live/bar_assembler.hpp"
#include "live/live_loop.hpp"

using namespace qtrader;
using namespace qtrader::live;

namespace {

constexpr Timestamp kSecond = 1'000'000'000LL;
constexpr Timestamp kMinute = 60 * kSecond;

FeedUpdate trade(const char* symbol, Timestamp ts, double price, double size) {
  FeedUpdate u;
  u.kind = FeedUpdate::Kind::Trade;
  u.symbol = symbol;
  u.ts = ts;
  u.price = price;
  u.size = size;
  return u;
}

FeedUpdate bar(const char* symbol, Timestamp ts, double close) {
  FeedUpdate u;
  u.kind = FeedUpdate::Kind::Bar;
  u.symbol = symbol;
  u.ts = ts;
  u.open = u.high = u.low = u.close = close;
  u.volume = 10;
  return u;
}

// A feed that says nothing for `silence`, then sends its updates and ends:
// an implementation of the interface, as a network feed that goes quiet is.
class QuietFeed final : public MarketFeed {
 public:
  QuietFeed(std::chrono::milliseconds silence, std::vector<FeedUpdate> updates)
      : silence_(silence), updates_(std::move(updates)) {}
  std::string name() const override { return "quiet"; }
  void start(const std::vector<std::string>&) override { started_ = std::chrono::steady_clock::now(); }
  void stop() override {}
  bool connected() const override { return true; }
  std::vector<FeedUpdate> poll(std::chrono::milliseconds wait) override {
    if (std::chrono::steady_clock::now() - started_ < silence_) {
      std::this_thread::sleep_for(wait);
      return {};
    }
    sent_ = true;
    return std::exchange(updates_, {});
  }
  bool finished() const override { return sent_; }

 private:
  std::chrono::milliseconds silence_;
  std::vector<FeedUpdate> updates_;
  std::chrono::steady_clock::time_point started_;
  bool sent_ = false;
};

}  // namespace

TEST_CASE("trades fold into bars of the source timeframe complete once the feed passes the window",
          "[live][bars]") {
  SymbolTable symbols;
  symbols.intern("AAA");
  symbols.intern("BBB");
  const Timeframe minute{Timeframe::Unit::Minute, 1};
  BarAssembler a(symbols, {minute, minute}, {TimeZone::utc(), TimeZone::utc()});
  std::vector<Bar> bars;
  std::vector<std::uint8_t> flags;
  a.add(trade("BBB", 5 * kSecond, 20.0, 1));
  a.add(trade("AAA", 10 * kSecond, 10.0, 2));
  a.add(trade("AAA", 20 * kSecond, 12.0, 3));
  a.add(trade("AAA", 50 * kSecond, 9.5, 1));
  CHECK_FALSE(a.next_slice(bars, flags));  // the minute is not over
  a.add(trade("AAA", kMinute + kSecond, 11.0, 4));
  REQUIRE(a.next_slice(bars, flags));
  REQUIRE(bars.size() == 2);  // both symbols' minute, by symbol id
  CHECK(bars[0].ts == 0);
  CHECK(bars[0].symbol == 0);
  CHECK((std::vector<double>{bars[0].open, bars[0].high, bars[0].low, bars[0].close, bars[0].volume}) ==
        std::vector<double>{10.0, 12.0, 9.5, 9.5, 6.0});
  CHECK((std::vector<double>{bars[1].open, bars[1].close, bars[1].volume}) == std::vector<double>{20.0, 20.0, 1.0});
  CHECK_FALSE(a.next_slice(bars, flags));
  a.finish();
  REQUIRE(a.next_slice(bars, flags));
  CHECK(bars.size() == 1);
  CHECK(bars[0].ts == kMinute);
  CHECK(bars[0].close == 11.0);
  // A bar for a timestamp that has run is late: dropped and counted.
  a.add(bar("AAA", 0, 1.0));
  CHECK(a.late_bars() == 1);
  a.add(bar("ZZZ", 2 * kMinute, 1.0));
  CHECK(a.unknown_symbols() == 1);
}

TEST_CASE("a feed silent past stale_after_seconds raises one stale warning then its bars run", "[live][stale]") {
  SymbolTable symbols;
  symbols.intern("AAA");
  BarAssembler assembler(symbols, {Timeframe{Timeframe::Unit::Minute, 1}}, {TimeZone::utc()});
  QuietFeed feed(std::chrono::milliseconds(350), {bar("AAA", 0, 10.0), bar("AAA", kMinute, 11.0)});
  EventBus bus;
  std::vector<Timestamp> slices;
  bus.subscribe<SliceEvent>([&](const SliceEvent& e) { slices.push_back(e.ts); });
  std::vector<double> stale;
  LiveLoopHooks hooks;
  hooks.stale = [&](double silent) { stale.push_back(silent); };
  LiveLoopOptions options;
  options.stale_after_seconds = 0.2;
  options.poll_wait = std::chrono::milliseconds(50);
  feed.start({"AAA"});
  const LoopStats stats = run_live_loop(bus, feed, assembler, options, hooks);
  REQUIRE(stale.size() == 1);
  CHECK(stale[0] >= 0.2);
  CHECK(slices == std::vector<Timestamp>{0, kMinute});
  CHECK(stats.timestamps == 2);
  CHECK(stats.bars == 2);
}

TEST_CASE("a timestamp runs as soon as every symbol has its bar, not one bar later", "[live][bars]") {
  SymbolTable symbols;
  symbols.intern("AAA");
  symbols.intern("BBB");
  const Timeframe day{Timeframe::Unit::Day, 1};
  BarAssembler a(symbols, {day, day}, {TimeZone::utc(), TimeZone::utc()});
  std::vector<Bar> bars;
  std::vector<std::uint8_t> flags;
  a.add(bar("BBB", 0, 20.0));
  CHECK_FALSE(a.next_slice(bars, flags));  // AAA's bar of T may still come
  a.add(bar("AAA", 0, 10.0));
  REQUIRE(a.next_slice(bars, flags));      // both in: T runs now
  CHECK(bars.size() == 2);
  CHECK(bars[0].close == 10.0);
  CHECK(bars[1].close == 20.0);
  // A symbol without a bar at T+1: T+1 runs once the feed moves past it.
  a.add(bar("AAA", kMinute, 11.0));
  CHECK_FALSE(a.next_slice(bars, flags));
  a.add(bar("AAA", 2 * kMinute, 12.0));
  REQUIRE(a.next_slice(bars, flags));
  CHECK(bars.size() == 1);
  CHECK(bars[0].close == 11.0);
}
