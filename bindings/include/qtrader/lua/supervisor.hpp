// Runs a piece of work in a forked child with the JIT on, and stops any call
// into Lua that outlives its budget from the parent (docs/sandbox.md,
// "Supervised strict mode"). In the child every ScriptHost publishes its
// calls into a shared page (call_monitor.hpp); the parent looks at it every
// few milliseconds and SIGKILLs the child once the running call's thread has
// used its budget plus the grace of CPU time (or lasted ten budgets of wall
// time: watchdog.hpp). The in-child watchdog still stops interpreted code
// at the budget with the line; the parent is for what no hook reaches: code
// the JIT compiled and long C calls.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace qtrader {

struct SupervisorOptions {
  // Time past a call's budget before the parent kills the child: long enough
  // for the child's own watchdog (5 ms tick) to stop interpreted code with its
  // line first, even on a loaded machine.
  std::chrono::milliseconds grace{200};
  std::chrono::milliseconds tick{5};  // how often the parent looks at the page
  // RLIMIT_AS of the child, so C-side allocations cannot take the machine
  // (the Lua allocator has its own, smaller cap). 0: no limit.
  std::size_t address_space_bytes = 0;
  bool forward_stop_signals = true;  // SIGINT/SIGTERM sent to the parent by a process reach the child
};

struct SupervisedExit {
  enum class How { Exited, Overran, Crashed };
  How how = How::Exited;
  int exit_code = 0;  // Exited: the child's status
  int signal = 0;     // Crashed: the signal that ended it
  // Overran: the call the parent stopped.
  std::string script, callback;
  double budget_seconds = 0;
  double ran_seconds = 0;  // from when the parent first saw the call to the kill
  std::string results_dir;  // what the child published, or ""

  // The failure in the words of the in-process errors: for an overrun,
  // "SCRIPT in CALLBACK: time budget of B s exceeded (...)". "" for Exited.
  std::string message() const;
};

// The child's work: gets a function that publishes the run's results folder
// (so the parent can record a killed run) and returns its exit status.
using SupervisedWork = std::function<int(const std::function<void(const std::string&)>& publish_results_dir)>;

// Forks; the child attaches the shared page (JIT on for every ScriptHost it
// makes), applies the limits, runs `work` and leaves with _exit(status) after
// flushing stdio. The parent must not be running Lua itself.
SupervisedExit run_supervised(const SupervisedWork& work, const SupervisorOptions& options = {});

}  // namespace qtrader
