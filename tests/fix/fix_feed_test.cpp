// FixMarketFeed against the test venue: the fixture's bars arrive exactly,
// once each, also across a venue killed and restarted mid-stream.
#include <signal.h>

#include <catch2/catch.hpp>

#include "fix/fix_market_feed.hpp"
#include "fix_test_support.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::vector<live::FeedUpdate> poll_until(fix::FixMarketFeed& feed, std::vector<live::FeedUpdate>& got,
                                         const std::function<bool()>& done) {
  eventually([&] {
    for (auto& u : feed.poll(std::chrono::milliseconds(20))) got.push_back(std::move(u));
    return done();
  });
  return got;
}

void check_bars(const std::vector<live::FeedUpdate>& got) {
  const auto bars = orcl_bars();
  REQUIRE(got.size() == bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    INFO("bar " << i);
    CHECK(got[i].kind == live::FeedUpdate::Kind::Bar);
    CHECK(got[i].symbol == "ORCL");
    CHECK(got[i].ts == bars[i].ts);
    CHECK(got[i].open == bars[i].open);
    CHECK(got[i].high == bars[i].high);
    CHECK(got[i].low == bars[i].low);
    CHECK(got[i].close == bars[i].close);
    CHECK(got[i].volume == bars[i].volume);
  }
}

}  // namespace

TEST_CASE("FixMarketFeed receives the fixture's bars exactly", "[fix]") {
  TempDir dir("fix-feed");
  VenueProcess venue((dir / "venue").string(), venue_args(30, false));
  fix::FixMarketFeed feed(venue_session(venue, (dir / "client").string(), "QTRADER-MD"));
  feed.start({"ORCL"});
  REQUIRE(feed.connected());
  std::vector<live::FeedUpdate> got;
  poll_until(feed, got, [&] { return feed.finished(); });
  CHECK(feed.finished());
  check_bars(got);
  venue.kill_now(SIGTERM);
  CHECK(eventually([&] { return !feed.connected(); }));
}

TEST_CASE("FixMarketFeed misses and repeats no bar when the venue is killed and restarted", "[fix]") {
  TempDir dir("fix-feed-kill");
  VenueProcess venue((dir / "venue").string(), venue_args(40, false));
  fix::FixMarketFeed feed(venue_session(venue, (dir / "client").string(), "QTRADER-MD"));
  feed.start({"ORCL"});
  REQUIRE(feed.connected());
  std::vector<live::FeedUpdate> got;
  poll_until(feed, got, [&] { return got.size() >= 5; });
  venue.kill_now(SIGKILL);
  REQUIRE(eventually([&] { return !feed.connected(); }));
  venue.restart();
  REQUIRE(feed.wait_until_connected(std::chrono::seconds(10)));
  poll_until(feed, got, [&] { return feed.finished(); });
  CHECK(feed.finished());
  check_bars(got);
}

TEST_CASE("FixMarketFeed reports a rejected subscription", "[fix]") {
  TempDir dir("fix-feed-reject");
  VenueProcess venue((dir / "venue").string(), venue_args(30, false));
  fix::FixMarketFeed feed(venue_session(venue, (dir / "client").string(), "QTRADER-MD"));
  feed.start({"ORCL", "ZZZZ"});
  std::string error;
  eventually([&] {
    try {
      feed.poll(std::chrono::milliseconds(20));
    } catch (const std::runtime_error& e) {
      error = e.what();
    }
    return !error.empty();
  });
  CHECK_THAT(error, Catch::EndsWith("the venue rejected the market data request: unknown symbol ZZZZ"));
}
