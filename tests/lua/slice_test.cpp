// on_slice and ctx:indicators (docs/writing-a-strategy.md "One call per
// timestamp"): what the columns hold, and which callbacks a script needs.
// The threats of the new surface are in tests/sandbox/slice_threat_test.cpp.
#include <catch2/catch.hpp>

#include <vector>

#include "expect_error.hpp"
#include "lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/strategy_script.hpp"
#include "slice_support.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;
using namespace qtrader::test::slice;

TEST_CASE("slice: columns hold the timestamp's bars, indicator values are aligned with them", "[lua][slice]") {
  TempDir dir("slice");
  ScriptHost host;
  TestStrategyContext ctx;
  const std::string path = write_script(dir, "columns", R"(
local fast
function S.on_init(ctx) fast = ctx:indicators("sma", ctx:universe(), "close", 2) end
function S.on_slice(ctx, slice)
  local v = fast.value
  ctx:log("info", string.format("n=%d ts=%d %d %d o=%g h=%g l=%g c=%g v=%g | %g %g | %s %s",
    slice.n, slice.ts, slice.symbol[1], slice.symbol[2], slice.open[2], slice.high[2], slice.low[2],
    slice.close[2], slice.volume[2], slice.bar_ts[1], slice.close[1], tostring(v[1]), tostring(v[2])))
end)");
  StrategyScript script(host, path, ctx, {});
  REQUIRE(script.has_on_slice());
  script.on_init();
  REQUIRE(ctx.indicators.size() == 2);  // one SMA per universe symbol
  auto d1 = day(ctx, 1);
  script.on_slice(kDay, d1);
  auto d2 = day(ctx, 2);
  script.on_slice(2 * kDay, d2);
  const auto got = messages(ctx);
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "n=2 ts=86400000000000 0 1 o=3 h=4 l=2.5 c=21 v=201 | 8.64e+13 11 | nan nan");
  CHECK(got[1] == "n=2 ts=172800000000000 0 1 o=3 h=4 l=2.5 c=22 v=202 | 1.728e+14 12 | 11.5 21.5");
}

TEST_CASE("slice: on_bar is optional with on_slice, ctx:indicators needs on_slice", "[lua][slice]") {
  TempDir dir("slice");
  ScriptHost host;
  TestStrategyContext ctx;
  StrategyScript only_slice(host, write_script(dir, "only_slice", "function S.on_slice(ctx, slice) end"), ctx, {});
  const auto e = expect_error<ScriptError>([&] { only_slice.on_bar(make_bar(0, kDay, 1, 1, 1, 1, 1)); });
  CHECK(std::string(e.what()).find("the bars of ctx:subscribe come through on_bar") != std::string::npos);

  StrategyScript bar_only(host, write_script(dir, "bar_only", R"(
function S.on_init(ctx) ctx:indicators("sma", ctx:universe(), "close", 2) end
function S.on_bar(ctx, bar) end)"), ctx, {});
  const auto e2 = expect_error<ScriptError>([&] { bar_only.on_init(); });
  CHECK(std::string(e2.what()).find("ctx:indicators: a set's values are filled for on_slice, which this script "
                                    "does not define") != std::string::npos);
  CHECK_FALSE(bar_only.has_on_slice());

  const auto e3 = expect_error<ScriptError>(
      [&] { StrategyScript neither(host, write_script(dir, "neither", ""), ctx, {}); });
  CHECK(std::string(e3.what()).find("the script must define on_bar") != std::string::npos);
}
