// The page a supervised run's child and its parent share (docs/sandbox.md,
// "Supervised strict mode"): the child's gate publishes which call into Lua is
// running, the parent times it and kills the child when it overruns. LuaJIT's
// compiled code never runs hooks, so with the JIT on only someone outside the
// process can stop a compiled loop.
//
// Per call the gate makes three stores into the page (the call's thread and
// identity, then its number) and one when it returns (number 0): no syscall,
// no clock read. The parent reads the thread's CPU time itself when it first
// sees a call number, as the in-process watchdog does (watchdog.hpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace qtrader {

struct CallMonitorPage {
  static constexpr std::size_t kNamesBytes = std::size_t{256} * 1024;
  static constexpr std::size_t kResultsDirBytes = 4096;

  // The running call: 0 when none. Unique per call within the child (the
  // host's serial in the high bits, its call count below).
  std::atomic<std::uint64_t> call{0};
  // 1 + offset into `names` of the running call's entry, 0 for unknown.
  std::atomic<std::uint32_t> identity{0};
  std::atomic<std::uint32_t> names_used{0};
  // The thread running the call (its Linux thread id), so the parent can
  // count that thread's CPU time as the in-child watchdog does.
  std::atomic<std::int32_t> thread{0};
  // The run's results folder, once the child has made it.
  std::atomic<std::uint32_t> results_dir_size{0};
  char results_dir[kResultsDirBytes];
  // Entries written once per (script, callback, budget) by the child only:
  // a double (budget in seconds), then "script\0callback\0".
  char names[kNamesBytes];
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "the page is shared between processes");

// An anonymous MAP_SHARED mapping of one CallMonitorPage: made by the parent
// before fork, so both processes see the same memory.
class CallMonitor {
 public:
  CallMonitor();
  ~CallMonitor();
  CallMonitor(const CallMonitor&) = delete;
  CallMonitor& operator=(const CallMonitor&) = delete;

  CallMonitorPage& page() noexcept { return *page_; }

  // In the child: every ScriptHost made from now on runs with the JIT on and
  // publishes its calls here. Never undone (the child exits).
  void attach_in_child();

  // The running call as the parent sees it.
  struct Running {
    std::uint64_t call = 0;
    std::string script, callback;
    double budget_seconds = 0;  // <= 0: unlimited
    int thread = 0;             // the child's thread running the call; 0: unknown
  };
  Running running() const;
  // The results folder the child published, or "".
  std::string results_dir() const;

 private:
  CallMonitorPage* page_;
};

// The child's side, used by the gate and the engine. nullptr when this
// process is not a supervised child.
class CallPublisher {
 public:
  explicit CallPublisher(CallMonitorPage& page) : page_(page) {}
  // The identity of (script, callback, budget), written into the page the
  // first time it is seen; 0 when the names area is full.
  std::uint32_t identity(const std::string& script, const char* callback, double budget_seconds);
  void publish_results_dir(const std::string& dir);
  CallMonitorPage& page() noexcept { return page_; }

 private:
  CallMonitorPage& page_;
  std::unordered_map<std::string, std::uint32_t> known_;
};

CallPublisher* attached_call_publisher() noexcept;

}  // namespace qtrader
