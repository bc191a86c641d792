// Threats of the on_slice boundary (docs/sandbox.md, T27-T30): writes into
// the columns, a slice kept past its call, metatables, indexes out of range.
#include <vector>

#include "../lua/slice_support.hpp"
#include "sandbox_support.hpp"

using namespace qtrader;
using namespace qtrader::test;
using namespace qtrader::test::slice;

TEST_CASE("threat 30: indexes out of a slice's range read nil, never host memory", "[sandbox][slice]") {
  TempDir dir("slice");
  ScriptHost host;
  TestStrategyContext ctx;
  const std::string path = write_script(dir, "short", R"(
local fast
function S.on_init(ctx) fast = ctx:indicators("sma", {1}, "close", 2) end
function S.on_slice(ctx, slice)
  ctx:log("info", string.format("n=%d sym=%d v=%s past=%s %s %s %s %s %s", slice.n, slice.symbol[1],
    tostring(fast.value[1]), tostring(slice.close[2]), tostring(slice.close[0]), tostring(slice.close[-1]),
    tostring(slice.close[1e9]), tostring(slice.close["x"]), tostring(fast.value[2])))
end)");
  StrategyScript script(host, path, ctx, {});
  script.on_init();
  (void)day(ctx, 1);
  auto d2 = day(ctx, 2);
  script.on_slice(2 * kDay, std::span<const Bar>(d2).subspan(1));
  script.on_slice(2 * kDay, std::span<const Bar>(d2).first(1));  // symbol 0: not in this set
  const auto got = messages(ctx);
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "n=1 sym=1 v=21.5 past=nil nil nil nil nil nil");
  CHECK(got[1] == "n=1 sym=0 v=nan past=nil nil nil nil nil nil");
}

TEST_CASE("threat 27: writes into on_slice's columns change no host state and no other strategy", "[sandbox][slice]") {
  TempDir dir("slice");
  ScriptHost host;
  TestStrategyContext ctx_a, ctx_b;
  const std::string writer = write_script(dir, "writer", R"(
local fast
function S.on_init(ctx) fast = ctx:indicators("sma", ctx:universe(), "close", 1) end
function S.on_slice(ctx, slice)
  ctx:log("info", string.format("before %g %g", slice.close[1], fast.value[1]))
  slice.close[1] = 1e9
  fast.value[1] = -1
  slice.close[5000] = 7
  rawset(slice, "open", { 42 })
  ctx:log("info", string.format("after %g %g", slice.close[1], fast.value[1]))
end)");
  const std::string reader = write_script(dir, "reader", R"(
local fast
function S.on_init(ctx) fast = ctx:indicators("sma", ctx:universe(), "close", 1) end
function S.on_slice(ctx, slice)
  ctx:log("info", string.format("%g %g %g %s", slice.close[1], fast.value[1], slice.open[1], tostring(slice.close[5000])))
end)");
  StrategyScript a(host, writer, ctx_a, {});
  StrategyScript b(host, reader, ctx_b, {});
  a.on_init();
  b.on_init();
  std::vector<Bar> bars{make_bar(0, kDay, 1, 2, 0.5, 10, 100), make_bar(1, kDay, 3, 4, 2.5, 20, 200)};
  for (const Bar& bar : bars) {
    ctx_a.feed(bar);
    ctx_b.feed(bar);
  }
  a.on_slice(kDay, bars);
  b.on_slice(kDay, bars);
  a.on_slice(kDay, bars);  // its own columns are refilled: nothing it wrote is read back
  CHECK(bars[0].close == 10);
  CHECK(bars[0].open == 1);
  CHECK(messages(ctx_a) == std::vector<std::string>{"before 10 10", "after 1e+09 -1", "before 10 10",
                                                    "after 1e+09 -1"});
  CHECK(messages(ctx_b) == std::vector<std::string>{"10 10 1 nil"});
}

TEST_CASE("threat 28: a slice or column kept past its call holds nothing", "[sandbox][slice]") {
  TempDir dir("slice");
  ScriptHost host;
  TestStrategyContext ctx;
  const std::string path = write_script(dir, "keeper", R"(
local fast, kept, kept_close, kept_value
function S.on_init(ctx) fast = ctx:indicators("sma", ctx:universe(), "close", 1) end
function S.on_slice(ctx, slice)
  if not kept then kept, kept_close, kept_value = slice, slice.close, fast.value end
  -- A column kept from an earlier call is emptied too, until this call reads the field again.
  ctx:log("info", "in call: " .. tostring(kept_close[1]))
end
function S.on_stop(ctx)
  local ok, err = pcall(function() return kept.close end)
  local ok2, err2 = pcall(function() return fast.value end)
  ctx:log("info", string.format("n=%s close1=%s value1=%s ts=%s | %s %s | %s %s", tostring(kept.n),
    tostring(kept_close[1]), tostring(kept_value[1]), tostring(rawget(kept, "ts")), tostring(ok), err,
    tostring(ok2), err2))
end)");
  StrategyScript script(host, path, ctx, {});
  script.on_init();
  auto d1 = day(ctx, 1);
  script.on_slice(kDay, d1);
  auto d2 = day(ctx, 2);
  script.on_slice(2 * kDay, d2);
  script.on_stop();
  const auto got = messages(ctx);
  REQUIRE(got.size() == 3);
  CHECK(got[0] == "in call: 11");
  CHECK(got[1] == "in call: nil");
  CHECK(got[2] == "n=0 close1=nil value1=nil ts=nil | false " + path +
                      ":11: slice.close can be read only inside on_slice (kept past its call, it holds nothing) | "
                      "false " + path +
                      ":12: indicator set.value can be read only inside on_slice (kept past its call, it holds "
                      "nothing)");
}

TEST_CASE("threat 29: the slice's and indicator sets' metatables cannot be read or replaced", "[sandbox][slice]") {
  TempDir dir("slice");
  ScriptHost host;
  TestStrategyContext ctx;
  const std::string path = write_script(dir, "meta", R"(
local fast
function S.on_init(ctx) fast = ctx:indicators("sma", ctx:universe(), "close", 1) end
function S.on_slice(ctx, slice)
  local ok1 = pcall(setmetatable, slice, {})
  local ok2 = pcall(setmetatable, fast, {})
  local ok3, e3 = pcall(function() slice.close = {} end)
  local ok4, e4 = pcall(function() return slice.nonsense end)
  ctx:log("info", string.format("%s %s %s %s %s | %s | %s", tostring(getmetatable(slice)),
    tostring(getmetatable(fast)), tostring(ok1), tostring(ok2), tostring(ok3), e3, e4))
end)");
  StrategyScript script(host, path, ctx, {});
  script.on_init();
  auto d1 = day(ctx, 1);
  script.on_slice(kDay, d1);
  const auto got = messages(ctx);
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "false false false false false | " + path + ":8: slice is read-only (field close) | " + path +
                      ":9: slice has no field nonsense (fields: n, symbol, open, high, low, close, volume, "
                      "adj_close, bar_ts)");
}

