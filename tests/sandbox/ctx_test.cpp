// Threats 18-21: argument bombs, objects kept past their run, tampering with
// ctx, and signal floods.
#include "sandbox_support.hpp"

using namespace qtrader;
using namespace qtrader::sandbox_test;
using Kind = ScriptError::Kind;

TEST_CASE("threat 18: oversized unpack and format widths are clean errors", "[sandbox][t18]") {
  ScriptHost host;
  auto e = on_bar_error(host, "t18_unpack", "local n = select('#', unpack({}, 1, 1e8))", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("too many results to unpack"));
  e = on_bar_error(host, "t18_format", "local s = string.format('%0999d', 1)", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("invalid"));
  e = on_bar_error(host, "t18_log_args", "ctx:log('info', unpack({}, 1, 1e6))", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("too many results to unpack"));
}

TEST_CASE("threat 19: ctx, indicators and bars kept past their run are refused, not dangling",
          "[sandbox][t19]") {
  const std::string modules = temp_dir() + "/t19_modules";
  write_file("t19_modules/stash.lua", "return {}");
  ScriptHost host({}, {modules});
  TestStrategyContext ctx_b;
  const std::string keeper = write_file("t19_keeper.lua", R"(
local stash = require('stash')
return { name = 't19_keeper',
  on_init = function(ctx)
    stash.ctx = ctx
    stash.sma = ctx:indicator('sma', 'AAA', 'close', 2)
  end,
  on_bar = function(ctx, bar) stash.bar = bar end })");
  const std::string user = write_file("t19_user.lua", R"(
local stash = require('stash')
return { name = 't19_user',
  on_init = function(ctx) stash.sma = ctx:indicator('sma', 'AAA', 'close', 2) end,
  on_bar = function(ctx, bar)
    stash.bar = bar
    local what = ctx:symbol_name(1)
    if what == 'BBB' then local cash = stash.ctx:cash() return cash end
  end,
  on_fill = function(ctx, fill) return stash.sma:value() end,
  on_stop = function(ctx) ctx:log('info', stash.bar.close) end })");
  {
    TestStrategyContext ctx_a;
    StrategyScript a(host, keeper, ctx_a, {});
    a.on_init();
    a.on_bar(kBar);
  }  // the keeper's StrategyScript and its context are gone; its ctx lives on in its own `stash`
  StrategyScript b(host, user, ctx_b, {});
  b.on_init();
  // Another script's stash is another instance of the module (threat 26): the
  // keeper's ctx is out of reach, not merely refused.
  auto e = script_error([&] { b.on_bar(kBar); });
  CHECK(e.kind() == Kind::Runtime);
  CHECK_THAT(e.message(), Catch::StartsWith(user + ":8: attempt to index field 'ctx' (a nil value)"));
  // The bar view is a copy held by Lua: reading it is harmless.
  b.on_stop();
  REQUIRE(ctx_b.logs.size() == 1);
  CHECK_THAT(ctx_b.logs[0].second, Catch::EndsWith("11"));
  // At the end of the run every object is retired, indicators included.
  host.retire_objects();
  e = script_error([&] { b.on_fill(FillEvent{}); });
  CHECK_THAT(e.message(), Catch::Contains("this object belongs to a run that has ended"));
  e = script_error([&] { b.on_bar(kBar); });
  CHECK_THAT(e.message(), Catch::Contains("ctx:symbol_name: this object belongs to a run that has ended"));
}

TEST_CASE("threat 20: ctx, bar and indicator objects are sealed", "[sandbox][t20]") {
  ScriptHost host;
  const std::string path = write_file("t20_probe.lua", R"(
local function refused(f, ...) return not pcall(f, ...) end
return { name = 't20_probe',
  on_bar = function(ctx, bar)
    local sma = ctx:indicator('sma', 'AAA', 'close', 2)
    for _, obj in ipairs({ ctx, bar, sma }) do
      assert(getmetatable(obj) == false, 'metatable visible')
      assert(refused(setmetatable, obj, {}), 'setmetatable worked')
      assert(refused(rawset, obj, 'x', 1), 'rawset worked')
      assert(refused(function() obj.x = 1 end), 'field assignment worked')
    end
    assert(refused(function() ctx.emit_signal = nil end), 'method replaced')
    assert(refused(ctx.cash, bar), 'a bar passed as ctx')
    assert(refused(ctx.cash, sma), 'an indicator passed as ctx')
    assert(refused(sma.value, ctx), 'ctx passed as indicator')
    assert(refused(ctx.cash, setmetatable({}, { __index = ctx })), 'a proxy passed as ctx')
    ctx:log('info', 'sealed')
  end })");
  TestStrategyContext ctx;
  StrategyScript script(host, path, ctx, {});
  script.on_bar(kBar);
  REQUIRE(ctx.logs.size() == 1);
  CHECK_THAT(ctx.logs[0].second, Catch::EndsWith("sealed"));
}

TEST_CASE("threat 21: signal floods are capped per callback and bad numbers are refused", "[sandbox][t21]") {
  ScriptLimits limits;
  limits.max_signals_per_callback = 5;
  ScriptHost host(limits);
  auto e = on_bar_error(host, "t21_flood",
                        "while true do ctx:emit_signal{ symbol = 'AAA', intention = 'open_long' } end",
                        Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("more than 5 signals in one callback"));
  // pcall cannot reset the count.
  {
    const std::string path = attack_script(
        "t21_pcall", "for i = 1, 100 do pcall(ctx.emit_signal, ctx, { symbol = 'AAA', intention = 'open_long' }) end");
    TestStrategyContext ctx;
    StrategyScript script(host, path, ctx, {});
    script.on_bar(kBar);
    CHECK(ctx.signals.size() == 5);
    script.on_bar(kBar);  // a new callback, a new allowance
    CHECK(ctx.signals.size() == 10);
  }
  for (const char* field : {"price = 1/0", "price = -1/0", "confidence = 0/0", "stop_loss = 1/0",
                            "take_profit = 0/0", "price = '12'"}) {
    INFO(field);
    auto bad = on_bar_error(host, "t21_number",
                            std::string("ctx:emit_signal{ symbol = 'AAA', intention = 'open_long', ") + field + " }",
                            Kind::Runtime);
    CHECK_THAT(bad.message(), Catch::Contains("ctx:emit_signal"));
  }
}
