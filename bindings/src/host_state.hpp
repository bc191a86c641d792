// Per-state bookkeeping shared by the allocator, the gate, the count hook and
// the bound C functions. It is the allocator's userdata, so any C function can
// reach it from a lua_State with host_state_of(L) (one pointer load).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <lua.hpp>

#include "qtrader/lua/call_monitor.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/script_limits.hpp"
#include "watchdog.hpp"

namespace qtrader {

struct HostState {
  ScriptLimits limits;
  std::vector<std::string> module_roots;
  std::vector<ModuleScope> module_scopes;  // script_host.hpp; empty: module_roots only
  // `require` resolutions already made, "scope index\0name" -> file, and the
  // shadowed modules already warned about.
  std::unordered_map<std::string, std::string> resolved_modules;
  std::unordered_set<std::string> shadow_warnings;

  // Capped allocator. The cap is enforced only while Lua runs inside the gate;
  // host-side pushes happen with it lifted, so they can never raise an
  // unprotected LUA_ERRMEM (mlua's "ignore_limit").
  std::size_t used = 0;
  bool enforce_cap = false;
  bool out_of_memory = false;  // an allocation was refused during the current call

  // Time budget, enforced by the watchdog thread (watchdog.hpp): the gate
  // numbers each call and publishes it in running_call; the watchdog sets
  // killed_call to a call that outlived its budget and arms the count hook.
  // Per call the cost is a few stores, and the VM runs without a hook.
  std::uint64_t call_seq = 0;
  std::atomic<std::uint64_t> running_call{0};  // 0: no call in progress
  std::atomic<std::uint64_t> killed_call{0};
  std::atomic<double> budget_seconds{0.0};
  // The CPU clock of the thread that runs the current call (the budget counts
  // that thread's CPU time, so a busy machine does not fail a run; watchdog.hpp).
  std::atomic<clockid_t> vm_clock{CLOCK_MONOTONIC};
  std::unique_ptr<Watchdog> watchdog;  // stopped before the state closes
  bool in_call = false;

  // Supervised strict mode (call_monitor.hpp): the page the gate publishes
  // each call into, or nullptr in-process. The last identity is kept so a
  // run's millions of on_bar calls cost two stores, not a lookup.
  CallPublisher* publisher = nullptr;
  std::uint64_t host_serial = 0;  // the high bits of the calls this host publishes
  std::string last_script, last_callback;
  double last_budget = 0;
  std::uint32_t last_identity = 0;

  int nest = 0;  // coroutine.resume / gsub-with-function nesting (docs/sandbox.md, T12, T13)
  std::uint64_t generation = 1;  // ctx objects of an older generation are dead
  std::uint64_t rng = 0;         // math.random state (splitmix64)
  bool poisoned = false;         // an unprotected error reached atpanic

  // Registry refs created once per state.
  int make_env_ref = LUA_NOREF;
  int loaded_modules_ref = LUA_NOREF;  // modules the host preloaded, "=NAME" -> module
  int strategy_ctx_mt_ref = LUA_NOREF;
  int risk_ctx_mt_ref = LUA_NOREF;
  int indicator_mt_ref = LUA_NOREF;
  int bar_mt_ref = LUA_NOREF;
  int tick_mt_ref = LUA_NOREF;
  // Interned bar and tick field names: their __index compares string pointers.
  enum BarKey {
    kSymbol, kTs, kTime, kOpen, kHigh, kLow, kClose, kVolume, kAdjClose, kTimeframe,
    kPrice, kSize, kBid, kAsk,  // the tick's own
    kBarKeys
  };
  const char* bar_keys[kBarKeys] = {};

  std::vector<std::string> required_files;
};

inline HostState* host_state_of(lua_State* L) noexcept {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return static_cast<HostState*>(ud);
}

constexpr int kMaxNesting = 64;
// Stack slot of the gate's message handler in the main thread, kept there for
// the state's lifetime (as Redis does) so the gate never allocates a closure.
constexpr int kMessageHandlerSlot = 1;

}  // namespace qtrader
