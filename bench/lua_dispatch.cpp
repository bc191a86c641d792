// ns per bar of dispatching on_bar into Lua through the real StrategyScript
// (gate, time budget hook, bar view, ctx userdata), in strict mode (JIT off for
// scripts, count hook on) and trusted mode (JIT on), for an empty on_bar and
// an SMA-crossover-like on_bar. Prints the median of several repetitions.
//
// usage: lua_dispatch [BARS=2000000] [REPS=7]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../tests/lua/lua_test_doubles.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/strategy_script.hpp"

using namespace qtrader;

namespace {

const char* kEmpty = R"(return { name = 'empty', on_bar = function(ctx, bar) end })";

// Fast/slow SMA of closes kept in Lua ring buffers, a crossover test, a
// position read through ctx, and a signal on each cross.
const char* kSmaCross = R"(
local FAST, SLOW = 10, 30
local buf, n, sum_f, sum_s, last_d = {}, 0, 0, 0, nil
return { name = 'sma_like',
  on_bar = function(ctx, bar)
    local c = bar.close
    n = n + 1
    local i = n % SLOW
    local old = buf[i]  -- the close of bar n - SLOW (nil at first)
    buf[i] = c
    sum_s = sum_s + c - (old or 0)
    sum_f = sum_f + c
    if n > FAST then sum_f = sum_f - buf[(n - FAST) % SLOW] end
    if n < SLOW then return end
    local d = sum_f / FAST - sum_s / SLOW
    local pos = ctx:position(bar.symbol)
    if last_d and last_d < 0 and d > 0 and pos == 0 then
      ctx:emit_signal{ symbol = bar.symbol, intention = 'open_long' }
    elseif last_d and last_d > 0 and d < 0 then
      ctx:emit_signal{ symbol = bar.symbol, intention = 'close_long' }
    end
    if d ~= 0 then last_d = d end
  end })";

std::string write_script(const char* name, const char* source) {
  const auto path = std::filesystem::temp_directory_path() / (std::string("qtrader_bench_") + name + ".lua");
  std::ofstream(path) << source;
  return path.string();
}

double ns_per_bar(const std::string& script, bool trusted, const std::vector<Bar>& bars) {
  ScriptLimits limits;
  limits.jit_for_scripts = trusted;
  limits.callback_seconds = 10;
  ScriptHost host(limits);
  test::TestStrategyContext ctx;
  StrategyScript s(host, script, ctx, {});
  s.on_init();
  for (std::size_t i = 0; i < 10000 && i < bars.size(); ++i) s.on_bar(bars[i]);  // warm up (JIT traces)
  const auto t0 = std::chrono::steady_clock::now();
  for (const Bar& b : bars) s.on_bar(b);
  const auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(bars.size());
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 2'000'000;
  const int reps = argc > 2 ? std::stoi(argv[2]) : 7;
  std::vector<Bar> bars(n);
  double price = 100.0;
  std::uint64_t x = 88172645463325252ULL;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift: a deterministic random walk
    price *= 1.0 + (static_cast<double>(x % 2001) - 1000.0) * 1e-5;
    bars[i] = test::make_bar(0, static_cast<Timestamp>(i) * 86'400'000'000'000LL, price, price * 1.01,
                             price * 0.99, price, 1000);
  }
  const std::string empty = write_script("empty", kEmpty), sma = write_script("sma_like", kSmaCross);
  std::printf("Lua on_bar dispatch through StrategyScript, %zu bars, median of %d runs (ns/bar)\n", n, reps);
  std::printf("%-22s %10s %10s\n", "on_bar", "strict", "trusted");
  for (const auto& [label, path] : {std::pair{"empty", empty}, std::pair{"sma crossover (Lua)", sma}}) {
    double med[2];
    for (int mode = 0; mode < 2; ++mode) {
      std::vector<double> runs;
      for (int r = 0; r < reps; ++r) runs.push_back(ns_per_bar(path, mode == 1, bars));
      std::sort(runs.begin(), runs.end());
      med[mode] = runs[runs.size() / 2];
    }
    std::printf("%-22s %10.1f %10.1f\n", label, med[0], med[1]);
  }
  return 0;
}
