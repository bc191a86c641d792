// `qtrader new` writes skeletons that run as written: the strategy in a real
// backtest, each generated test under `qtrader test`.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "testkit_support.hpp"

using namespace qtrader::test;

namespace {

// A backtest of `strategy` over the fixture's AAA (80 daily bars) with the
// script folder `lib`.
std::string backtest_over_fixture(const TempDir& dir, const std::string& lib, const std::string& strategy) {
  const auto path = dir / "bt.yaml";
  write_text(path, "start_date: 2024-01-01\nend_date: 2024-12-31\ninitial_equity: 100000\n"
                   "script_paths: [" + lib + "]\n"
                   "data:\n  sources:\n    - name: fixture\n      path: " + kKitFixtures + "/data\n"
                   "      layout: ohlcv\n      universe: [AAA]\n"
                   "strategies:\n  - strategy_id: s\n    name: " + strategy + "\n    universe: [AAA]\n"
                   "risk_policy:\n  name: fixed_quantity\n  config: {quantity: 10}\n");
  return path.string();
}

}  // namespace

TEST_CASE("new strategy writes a strategy that runs in a backtest and a test that passes", "[testkit]") {
  TempDir dir("kit-new");
  const std::string lib = (dir / "lib").string();
  auto r = qtrader_cli("new strategy trend_rider --dir " + lib);
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("created " + lib + "/trend_rider.lua"));
  CHECK_THAT(r.out, Catch::Contains("created " + lib + "/tests/trend_rider_test.lua"));

  const std::string runs = (dir / "runs").string();
  r = qtrader_cli("run " + backtest_over_fixture(dir, lib, "trend_rider") + " --output " + runs + " --quiet");
  INFO(r.out);
  REQUIRE(r.status == 0);
  // The sine-shaped fixture crosses its 20-day average: the strategy traded.
  const std::string results = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1, std::string::npos);
  SQLite::Database db(results.substr(0, results.size() - 1) + "/events.sqlite");
  CHECK(db.execAndGet("SELECT COUNT(*) FROM events WHERE type = 'fill'").getInt() >= 2);

  r = qtrader_cli("test " + lib);
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("3 passed, 0 failed (1 files)"));
}

TEST_CASE("new risk writes a policy whose generated test passes", "[testkit]") {
  TempDir dir("kit-new");
  const std::string lib = (dir / "lib").string();
  auto r = qtrader_cli("new risk half_in --dir " + lib);
  INFO(r.out);
  REQUIRE(r.status == 0);
  CHECK(std::filesystem::exists(dir / "lib" / "risk" / "half_in.lua"));
  r = qtrader_cli("test " + lib);
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("2 passed, 0 failed (1 files)"));
}

TEST_CASE("new lib writes a manifest and a library whose test passes", "[testkit]") {
  TempDir dir("kit-new");
  auto r = qtrader_cli("new lib mylib --dir " + dir.str());
  INFO(r.out);
  REQUIRE(r.status == 0);
  const std::string manifest = file_text((dir / "mylib" / "qtrader-lib.yaml").string());
  CHECK_THAT(manifest, Catch::Contains("name: mylib\nversion: \"0.1.0\"\n"));
  CHECK_THAT(manifest, Catch::Contains("qtrader: \">=0.1\"\nrequires: {}\nlicense: "));
  r = qtrader_cli("test " + (dir / "mylib").string());
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("3 passed, 0 failed (1 files)"));
  // The folder runs as a plain script folder too.
  r = qtrader_cli("run " + backtest_over_fixture(dir, (dir / "mylib").string(), "mylib_trend") + " --output " +
                  (dir / "runs").string() + " --quiet");
  INFO(r.out);
  CHECK(r.status == 0);
}

TEST_CASE("new refuses to overwrite, bad names and built-in names, writing nothing", "[testkit]") {
  TempDir dir("kit-new");
  const std::string lib = (dir / "lib").string();
  REQUIRE(qtrader_cli("new strategy mine --dir " + lib).status == 0);
  write_text(dir / "lib" / "mine.lua", "-- mine\n");
  auto r = qtrader_cli("new strategy mine --dir " + lib);
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("error: " + lib + "/mine.lua exists already; nothing was written"));
  CHECK(file_text(lib + "/mine.lua") == "-- mine\n");

  r = qtrader_cli("new strategy My-Idea --dir " + lib);
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("error: 'My-Idea' cannot be a strategy name: names are 1 to 64 lowercase"));
  r = qtrader_cli("new risk sizing_test --dir " + lib);
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("would be taken for a test file"));
  r = qtrader_cli("new strategy sma_crossover --dir " + lib);
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("error: 'sma_crossover' is the name of a built-in strategy ("));
  CHECK(!std::filesystem::exists(dir / "lib" / "sma_crossover.lua"));
}
