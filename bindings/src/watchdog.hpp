// The time budget of calls into Lua, enforced from outside the VM.
//
// A count hook installed for the whole run makes LuaJIT route every bytecode
// through lj_vm_inshook (and keeps the JIT from recording): 15-20 % of a
// typical on_bar. Instead the VM runs hook-free and a watchdog thread, one per
// lua_State, looks at the running call every few milliseconds; when one call
// has run past its budget it installs a count hook of 1, which raises the
// timeout at the next instruction. That is how luajit.c's own SIGINT handler
// stops a script: lua_sethook is the one API LuaJIT documents as safe to call
// asynchronously. The hook stays "sticky" until the call ends, so a script's
// pcall cannot swallow the kill.
//
// The budget is CPU time of the thread running the call, not wall time: on a
// loaded machine a process can wait for a core longer than a callback's whole
// budget, and a run must not fail because the machine was busy. A call that
// waits without using CPU (a host function blocked on a file) is still
// stopped once it has lasted kWallFactor budgets of wall time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <mutex>
#include <thread>

struct lua_State;

namespace qtrader {

struct HostState;

// The calling thread's CPU-time clock (pthread_getcpuclockid: no system call);
// CLOCK_MONOTONIC where the platform has none.
clockid_t this_thread_cpu_clock() noexcept;

class Watchdog {
 public:
  // How often the running call is looked at: a call is stopped between its
  // budget and its budget plus one tick.
  static constexpr std::chrono::milliseconds kTick{5};
  // Wall time a call may last, in budgets, however little CPU it used.
  static constexpr int kWallFactor = 10;

  Watchdog(lua_State* L, HostState& state);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void run();

  lua_State* L_;
  HostState& state_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace qtrader
