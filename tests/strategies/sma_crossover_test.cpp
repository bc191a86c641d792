// The built-in sma_crossover on a synthetic series, against backtrader's
// CrossOver semantics worked out by hand (fast = 2, slow = 4):
//   bar  4: d = 0 is the first defined d (seed 0); bar 5 d > 0 is not a cross
//   bar  9: cross down without a position -> nothing
//   bar 14: d = 0 after negative, bar 15 negative again -> nothing
//   bar 16: d = 0 after negative, bar 17 d > 0 -> open_long on bar 17
//   bar 22: d = 0 after positive, bar 23 positive again -> nothing
//   bar 24: d = 0 after positive, bar 25 d < 0 -> close_long on bar 25
//   bar 30: d = 0 after negative, bar 31 d > 0 -> open_long on bar 31
#include <catch2/catch.hpp>

#include "../lua/lua_test_doubles.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/strategy_script.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

const double kCloses[] = {10, 10, 10, 10, 11, 12, 13, 12, 10, 9,  8,  8,  8,  8,  7,  9,
                          11, 13, 14, 14, 14, 14, 15, 13, 11, 10, 9, 9, 9, 9, 10, 12};

struct Emitted {
  int bar;  // 1-based
  Intention intention;
  bool operator==(const Emitted& o) const { return bar == o.bar && intention == o.intention; }
};

// Signals fill at the next bar, so the position changes before that bar's on_bar.
std::vector<Emitted> run(StrategyScript& script, TestStrategyContext& ctx, SymbolId sym) {
  std::vector<Emitted> out;
  script.on_init();
  int n = 0;
  for (double c : kCloses) {
    ++n;
    for (const auto& s : ctx.signals) ctx.positions[s.symbol] = s.intention == Intention::OpenLong ? 100 : 0;
    ctx.signals.clear();
    const Bar bar = make_bar(sym, n * kNanosPerDay, c, c, c, c, 1000);
    ctx.clock = bar.ts;
    ctx.feed(bar);
    script.on_bar(bar);
    for (const auto& s : ctx.signals) {
      CHECK(s.symbol == sym);
      CHECK(s.price == c);
      out.push_back({n, s.intention});
    }
  }
  return out;
}

}  // namespace

TEST_CASE("sma_crossover: signals on exactly the expected bars", "[lua][sma_crossover]") {
  ScriptHost host;
  TestStrategyContext ctx;
  ctx.members = {1};
  StrategyScript script(host, builtin_strategies() + "/sma_crossover.lua", ctx,
                        {{"fast", number_param(2, 1)}, {"slow", number_param(4, 2)}});
  const auto got = run(script, ctx, 1);
  const std::vector<Emitted> expected{{17, Intention::OpenLong}, {25, Intention::CloseLong}, {31, Intention::OpenLong}};
  CHECK(got == expected);
}

TEST_CASE("sma_crossover: no signals during warm-up, bars of other symbols ignored", "[lua][sma_crossover]") {
  ScriptHost host;
  TestStrategyContext ctx;
  ctx.members = {0};
  ctx.warmup = true;
  StrategyScript script(host, builtin_strategies() + "/sma_crossover.lua", ctx,
                        {{"fast", number_param(2, 1)}, {"slow", number_param(4, 2)}});
  CHECK(run(script, ctx, 0).empty());
  CHECK_NOTHROW(script.on_bar(make_bar(1, 0, 1, 1, 1, 1, 1)));  // symbol 1 is not in its universe
}

TEST_CASE("sma_crossover: defaults are 10 and 30", "[lua][sma_crossover]") {
  ScriptHost host;
  TestStrategyContext ctx;
  StrategyScript script(host, builtin_strategies() + "/sma_crossover.lua", ctx, {});
  REQUIRE(script.params().size() == 2);
  CHECK(script.params()[0].second.number == 10);
  CHECK(script.params()[1].second.number == 30);
  script.on_init();
  REQUIRE(ctx.indicators.size() == 4);  // two symbols, two SMAs each
}
