#include "watchdog.hpp"

#include <lua.hpp>

#include "gate.hpp"
#include "host_state.hpp"

namespace qtrader {

Watchdog::Watchdog(lua_State* L, HostState& state) : L_(L), state_(state), thread_([this] { run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Watchdog::run() {
  std::uint64_t watched = 0;  // the call seen running at the last tick
  auto since = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kTick, [this] { return stop_; })) {
    const std::uint64_t call = state_.running_call.load(std::memory_order_acquire);
    const auto now = std::chrono::steady_clock::now();
    if (call == 0 || call != watched) {
      watched = call;
      since = now;
      continue;
    }
    const double budget = state_.budget_seconds.load(std::memory_order_relaxed);
    if (budget <= 0 || now - since < std::chrono::duration<double>(budget)) continue;
    // Past its budget: mark this call killed and arm the hook. Re-armed every
    // tick while the call lasts, in case the VM thread removed a hook left by
    // an earlier call at the same moment.
    state_.killed_call.store(call, std::memory_order_release);
    lua_sethook(L_, gate_count_hook, LUA_MASKCOUNT, 1);
  }
}

}  // namespace qtrader
