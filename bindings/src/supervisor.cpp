#include "qtrader/lua/supervisor.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>

#include <fmt/format.h>

#include "qtrader/lua/call_monitor.hpp"
#include "watchdog.hpp"

namespace qtrader {

namespace {

volatile sig_atomic_t g_child = 0;  // the supervised child, for the forwarding handler

// SIGINT/SIGTERM sent to the parent by another process (kill, a test) are
// passed on, so the run stops as an unsupervised one would. A terminal's
// Ctrl-C (si_code SI_KERNEL) already reaches the child through the process
// group: passing it on too would be the child's second signal, which kills it.
extern "C" void forward_stop_signal(int sig, siginfo_t* info, void*) {
  if (info && info->si_code <= 0 && g_child > 0) ::kill(g_child, sig);
}

class ForwardedSignals {
 public:
  explicit ForwardedSignals(bool on) : on_(on) {
    if (!on_) return;
    struct sigaction sa {};
    sa.sa_sigaction = forward_stop_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  ~ForwardedSignals() {
    if (!on_) return;
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  bool on_;
  struct sigaction old_int_ {}, old_term_ {};
};

[[noreturn]] void run_child(CallMonitor& monitor, pid_t parent, const SupervisedWork& work,
                            const SupervisorOptions& options) {
  // The child never outlives its supervisor: nothing would bound its calls.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);
  if (options.address_space_bytes > 0) {
    const rlimit limit{options.address_space_bytes, options.address_space_bytes};
    ::setrlimit(RLIMIT_AS, &limit);
  }
  monitor.attach_in_child();
  int status = 1;
  try {
    status = work([](const std::string& dir) {
      if (CallPublisher* p = attached_call_publisher()) p->publish_results_dir(dir);
    });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "error: unknown failure in the supervised run\n");
  }
  std::fflush(nullptr);
  ::_exit(status);  // the parent's atexit handlers and statics are not the child's to run
}

// Seconds the thread `tid` of process `pid` has spent on a CPU (the first
// field of its schedstat, in nanoseconds); -1 when it cannot be read (no
// schedstats, or the thread is gone).
double thread_cpu_seconds(pid_t pid, int tid) {
  if (tid <= 0) return -1;
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", static_cast<int>(pid), tid);
  std::FILE* f = std::fopen(path, "re");
  if (!f) return -1;
  unsigned long long ns = 0;
  const bool read = std::fscanf(f, "%llu", &ns) == 1;
  std::fclose(f);
  return read ? static_cast<double>(ns) * 1e-9 : -1;
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  return -1;
#endif
}

}  // namespace

std::string SupervisedExit::message() const {
  switch (how) {
    case How::Exited: return {};
    case How::Overran:
      return fmt::format(
          "{} in {}: time budget of {:g} s exceeded (stopped by the supervisor after {:.2f} s; the call was in code "
          "the JIT compiled or in a C function, where no line is known)",
          script.empty() ? std::string("a script") : script, callback.empty() ? std::string("a call") : callback,
          budget_seconds, ran_seconds);
    case How::Crashed:
      return fmt::format("the run's process died of signal {} ({})", signal, ::strsignal(signal));
  }
  return {};
}

SupervisedExit run_supervised(const SupervisedWork& work, const SupervisorOptions& options) {
  CallMonitor monitor;
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) run_child(monitor, parent, work, options);

  g_child = pid;
  ForwardedSignals forwarding(options.forward_stop_signals);
  const int pidfd = open_pidfd(pid);
  SupervisedExit out;
  std::uint64_t watched = 0;
  CallMonitor::Running call;
  auto since = std::chrono::steady_clock::now();
  double cpu_since = -1;
  int status = 0;
  for (;;) {
    if (pidfd >= 0) {
      pollfd fd{pidfd, POLLIN, 0};
      ::poll(&fd, 1, static_cast<int>(options.tick.count()));  // wakes at once when the child ends
    } else {
      ::usleep(static_cast<useconds_t>(options.tick.count() * 1000));
    }
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    const auto now = std::chrono::steady_clock::now();
    const std::uint64_t running = monitor.page().call.load(std::memory_order_acquire);
    if (running != watched) {
      watched = running;
      since = now;
      if (running) {
        call = monitor.running();
        if (call.call != running) watched = 0;  // changed while read: look again next tick
        cpu_since = thread_cpu_seconds(pid, call.thread);
      }
      continue;
    }
    if (running == 0 || call.budget_seconds <= 0) continue;
    // As the in-child watchdog: the call's thread's CPU time against budget +
    // grace, so a loaded machine fails no run; wall time only as the backstop
    // of kWallFactor budgets for a call that waits without CPU.
    const auto ran = std::chrono::duration<double>(now - since);
    const double cpu_now = cpu_since < 0 ? -1 : thread_cpu_seconds(pid, call.thread);
    const double grace = std::chrono::duration<double>(options.grace).count();
    const double limit = call.budget_seconds + grace;
    const bool over_cpu = cpu_now >= 0 ? cpu_now - cpu_since >= limit : ran.count() >= limit;
    const bool over_wall = ran.count() >= call.budget_seconds * Watchdog::kWallFactor + grace;
    if (!over_cpu && !over_wall) continue;
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    out.how = SupervisedExit::How::Overran;
    out.script = call.script;
    out.callback = call.callback;
    out.budget_seconds = call.budget_seconds;
    // At least the CPU the call used: that clock is read after `now`.
    out.ran_seconds = std::max(ran.count(), cpu_now >= 0 ? cpu_now - cpu_since : 0.0);
    break;
  }
  if (pidfd >= 0) ::close(pidfd);
  g_child = 0;
  out.results_dir = monitor.results_dir();
  if (out.how == SupervisedExit::How::Overran) return out;
  if (WIFSIGNALED(status)) {
    out.how = SupervisedExit::How::Crashed;
    out.signal = WTERMSIG(status);
  } else {
    out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
  }
  return out;
}

}  // namespace qtrader
