// Lua scripts (docs/sandbox.md): the input is a script's source, loaded into a
// fresh sandboxed ScriptHost with small budgets (8 MB, 50 ms per main chunk
// and on_init, 20 ms per callback) as a strategy — on_init, three on_bar,
// on_fill, on_order, on_stop — or, when it names "risk_policy", as a risk
// policy asked to size two signals. A faulty script must fail with
// ScriptError (or ConfigError for its params) and leave a host that still
// runs code; anything else — a crash, another exception, a hang past the
// budgets (libFuzzer's -timeout) — is a hole in the host.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <lua.hpp>

#include "../tests/lua/lua_test_doubles.hpp"
#include "fuzz_support.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/risk_script.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/strategy_script.hpp"

namespace {

using qtrader::test::make_bar;

qtrader::ScriptLimits small_limits() {
  qtrader::ScriptLimits limits;
  limits.memory_bytes = std::size_t{8} << 20;
  limits.init_seconds = 0.05;
  limits.callback_seconds = 0.02;
  limits.max_signals_per_callback = 100;
  return limits;
}

void run_strategy(qtrader::ScriptHost& host, const std::string& path) {
  qtrader::test::TestStrategyContext ctx;
  qtrader::StrategyScript script(host, path, ctx, {});
  script.on_init();
  for (int i = 0; i < 3; ++i) {
    const auto bar = make_bar(i % 2, (i + 1) * qtrader::kNanosPerDay, 10 + i, 12 + i, 9 + i, 11 + i, 1500);
    ctx.clock = bar.ts;
    ctx.feed(bar);
    script.on_bar(bar, i == 2 ? "5m" : "");
  }
  script.on_fill(qtrader::FillEvent{3 * qtrader::kNanosPerDay, 1, 0, 0, qtrader::Side::Buy, 10, 11.5, 0.1});
  qtrader::OrderNotice notice;
  notice.ts = 3 * qtrader::kNanosPerDay;
  notice.order_id = 1;
  notice.signal_id = 1;
  notice.symbol = 1;
  notice.status = "cancelled";
  notice.reason = "fuzz";
  script.on_order(notice);
  script.on_stop();
}

void run_risk_policy(qtrader::ScriptHost& host, const std::string& path) {
  qtrader::test::TestRiskContext ctx;
  ctx.prices = {{0, 11.0}, {1, 20.0}};
  ctx.closes = {{0, {10.0, 11.0}}, {1, {19.0, 20.0}}};
  qtrader::RiskScript script(host, path, ctx, {});
  script.on_init();
  std::vector<qtrader::RiskSignal> signals(2);
  for (std::size_t i = 0; i < signals.size(); ++i) {
    auto& s = signals[i];
    s.signal_id = i + 1;
    s.strategy_id = "s1";
    s.symbol = static_cast<qtrader::SymbolId>(i);
    s.intention = i == 0 ? qtrader::Intention::OpenLong : qtrader::Intention::CloseShort;
    s.price = 11.0;
    s.confidence = 0.5;
    s.stop_loss = qtrader::kNaN;
    s.take_profit = 13.0;
    s.tag = "t";
  }
  std::vector<qtrader::RiskDecision> decisions;
  script.evaluate(signals, {100000.0, 100000.0, 0.0, 0.0}, decisions);
  script.evaluate(signals, {90000.0, 95000.0, 5000.0, -5000.0}, decisions);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  const std::string path = qtrader::fuzz::write_input("fuzz_script.lua", source);
  qtrader::ScriptHost host(small_limits());
  try {
    if (source.find("risk_policy") != std::string_view::npos)
      run_risk_policy(host, path);
    else
      run_strategy(host, path);
  } catch (const qtrader::ScriptError&) {
  } catch (const qtrader::ConfigError&) {
  }
  host.retire_objects();
  // What the script left is garbage now; LuaJIT has no emergency collection.
  lua_gc(host.state(), LUA_GCCOLLECT, 0);
  // Whatever the script did, the host still runs new code.
  if (host.evaluate("local t = {} for i = 1, 10 do t[i] = i end return #t") != "10") __builtin_trap();
  return 0;
}
