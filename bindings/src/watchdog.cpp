#include "watchdog.hpp"

#include <pthread.h>

#include <lua.hpp>

#include "gate.hpp"
#include "host_state.hpp"

namespace qtrader {

clockid_t this_thread_cpu_clock() noexcept {
  clockid_t id{};
  return pthread_getcpuclockid(pthread_self(), &id) == 0 ? id : CLOCK_MONOTONIC;
}

namespace {

// Seconds on `clock`; a thread's CPU clock fails once the thread has exited
// (the call is over then), read as "no time passed".
double seconds_on(clockid_t clock) noexcept {
  timespec t{};
  if (clock_gettime(clock, &t) != 0) return -1.0;
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

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
  clockid_t clock = CLOCK_MONOTONIC;
  double cpu_since = 0;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kTick, [this] { return stop_; })) {
    const std::uint64_t call = state_.running_call.load(std::memory_order_acquire);
    const auto now = std::chrono::steady_clock::now();
    if (call == 0 || call != watched) {
      // First seen between two ticks: up to one tick of the call's CPU time
      // goes uncounted, as its wall time always did.
      watched = call;
      since = now;
      clock = state_.vm_clock.load(std::memory_order_relaxed);
      cpu_since = seconds_on(clock);
      continue;
    }
    const double budget = state_.budget_seconds.load(std::memory_order_relaxed);
    if (budget <= 0) continue;
    const double cpu_now = seconds_on(clock);
    const bool over_cpu = cpu_since >= 0 && cpu_now >= 0 && cpu_now - cpu_since >= budget;
    const bool over_wall = now - since >= std::chrono::duration<double>(budget * kWallFactor);
    if (!over_cpu && !over_wall) continue;
    // Past its budget: mark this call killed and arm the hook. Re-armed every
    // tick while the call lasts, in case the VM thread removed a hook left by
    // an earlier call at the same moment.
    state_.killed_call.store(call, std::memory_order_release);
    lua_sethook(L_, gate_count_hook, LUA_MASKCOUNT, 1);
  }
}

}  // namespace qtrader
