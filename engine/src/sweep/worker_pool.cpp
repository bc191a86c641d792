#include "sweep/worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace qtrader {

namespace {

// Moves all n bytes through `io` (::read or ::write), across short transfers
// and EINTR; false on end of file or error.
template <class Io, class Byte>
bool transfer_all(Io io, int fd, Byte* p, std::size_t n) {
  while (n > 0) {
    const ssize_t done = io(fd, p, n);
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) return false;
    p += done;
    n -= static_cast<std::size_t>(done);
  }
  return true;
}

bool write_all(int fd, const void* data, std::size_t n) {
  return transfer_all(::write, fd, static_cast<const char*>(data), n);
}

bool read_all(int fd, void* data, std::size_t n) {
  return transfer_all(::read, fd, static_cast<char*>(data), n);
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

constexpr std::string_view kKilledBySignal = "the worker process was killed by signal ";

std::string describe_exit(int status, int* signal) {
  if (WIFSIGNALED(status)) {
    *signal = WTERMSIG(status);
    return fmt::format("{}{} ({})", kKilledBySignal, *signal, strsignal(*signal));
  }
  return fmt::format("the worker process exited with status {}",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

}  // namespace

bool is_worker_death(const std::string& reason) { return reason.rfind(kKilledBySignal, 0) == 0; }

WorkerPool::WorkerPool(std::size_t workers, RunPoint run) : run_(std::move(run)) {
  workers_.resize(workers);
  for (auto& w : workers_) spawn(w);
}

WorkerPool::~WorkerPool() {
  // Closing a worker's task pipe is its signal to exit once its point is done;
  // a worker still running one is stopped.
  for (auto& w : workers_) {
    close_fd(w.task_fd);
    if (w.point && w.pid > 0) ::kill(w.pid, SIGTERM);
  }
  for (auto& w : workers_) reap(w, nullptr);
}

void WorkerPool::spawn(Worker& w) {
  int task[2], result[2];
  if (::pipe2(task, O_CLOEXEC) != 0) throw std::runtime_error(fmt::format("pipe: {}", strerror(errno)));
  if (::pipe2(result, O_CLOEXEC) != 0) {
    ::close(task[0]);
    ::close(task[1]);
    throw std::runtime_error(fmt::format("pipe: {}", strerror(errno)));
  }
  // Nothing buffered in stdio may be written twice.
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", strerror(errno)));
  if (pid == 0) {
    // A sweep killed outright (SIGKILL) takes its workers with it: an orphan
    // would run its point on for no one, holding the folder's lock against
    // the resume and writing into a point folder the resume reruns.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(0);  // the parent died before prctl
    // The worker: its own pipe ends only, so each worker sees end-of-file
    // when the parent alone closes its task pipe.
    for (auto& other : workers_) {
      if (&other == &w) continue;
      close_fd(other.task_fd);
      close_fd(other.result_fd);
    }
    ::close(task[1]);
    ::close(result[0]);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    std::uint64_t point;
    while (read_all(task[0], &point, sizeof point)) {
      std::string line;
      try {
        line = run_(static_cast<std::size_t>(point));
      } catch (...) {
        ::_exit(3);  // run_ reports failures in its line; anything else is a bug
      }
      line += '\n';
      if (!write_all(result[1], line.data(), line.size())) ::_exit(4);
    }
    ::_exit(0);  // no destructors, no atexit handlers: they belong to the parent
  }
  ::close(task[0]);
  ::close(result[1]);
  w = Worker{};
  w.pid = pid;
  w.task_fd = task[1];
  w.result_fd = result[0];
}

void WorkerPool::reap(Worker& w, Event* event) {
  close_fd(w.task_fd);
  close_fd(w.result_fd);
  if (w.pid <= 0) return;
  int status = 0;
  while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
  }
  w.pid = -1;
  if (event && w.point) {
    event->point = *w.point;
    event->died = true;
    event->reason = describe_exit(status, &event->signal);
  }
  w.point.reset();
}

bool WorkerPool::has_idle() const {
  for (const auto& w : workers_)
    if (w.pid > 0 && !w.point) return true;
  return false;
}

std::size_t WorkerPool::busy() const {
  std::size_t n = 0;
  for (const auto& w : workers_) n += w.point.has_value();
  return n;
}

std::vector<std::size_t> WorkerPool::points() const {
  std::vector<std::size_t> out;
  for (const auto& w : workers_)
    if (w.point) out.push_back(*w.point);
  return out;
}

void WorkerPool::assign(std::size_t point) {
  for (auto& w : workers_) {
    if (w.pid <= 0 || w.point) continue;
    w.point = point;
    const std::uint64_t p = point;
    // A worker that died while idle: its death shows as end-of-file in wait().
    write_all(w.task_fd, &p, sizeof p);
    return;
  }
  throw std::logic_error("WorkerPool::assign: no idle worker");
}

std::vector<WorkerPool::Event> WorkerPool::wait(int timeout_ms) {
  std::vector<pollfd> fds;
  for (const auto& w : workers_) fds.push_back({w.result_fd, POLLIN, 0});
  std::vector<Event> events;
  if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return events;  // timeout or a signal
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    Worker& w = workers_[i];
    if (w.pid <= 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char buf[65536];
    const ssize_t n = ::read(w.result_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) {
      w.buffer.append(buf, static_cast<std::size_t>(n));
      for (std::size_t nl; (nl = w.buffer.find('\n')) != std::string::npos;) {
        Event e;
        e.point = w.point.value_or(0);
        e.line = w.buffer.substr(0, nl);
        w.buffer.erase(0, nl + 1);
        w.point.reset();
        events.push_back(std::move(e));
      }
      continue;
    }
    // End of file: the worker is gone.
    Event e;
    const bool had_point = w.point.has_value();
    reap(w, &e);
    if (had_point) events.push_back(std::move(e));
    if (!stopping_) spawn(w);
  }
  return events;
}

void WorkerPool::stop() {
  stopping_ = true;
  for (auto& w : workers_)
    if (w.pid > 0) ::kill(w.pid, SIGTERM);
}

}  // namespace qtrader
