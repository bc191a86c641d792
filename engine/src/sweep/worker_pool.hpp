// Forked worker processes for a sweep. Each worker inherits the parent's
// memory copy-on-write (the preloaded market data), takes point indexes from
// its own pipe, runs them one at a time and writes one result line per point
// back. Processes rather than threads: a run sets process-wide state (the
// default logger), and a crash costs one point, not the sweep.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace qtrader {

// True for the error of a point whose worker a signal killed (Event::reason).
bool is_worker_death(const std::string& reason);

class WorkerPool {
 public:
  // Runs in a worker: the result line of one point (no line break in it).
  using RunPoint = std::function<std::string(std::size_t point)>;

  struct Event {
    std::size_t point = 0;
    bool died = false;    // the worker died while running the point
    std::string line;     // the result line, when it did not die
    std::string reason;   // why it died ("killed by signal 9 (Killed)")
    int signal = 0;       // the signal that killed it, else 0
  };

  // The parent must be single-threaded (fork).
  WorkerPool(std::size_t workers, RunPoint run);
  ~WorkerPool();  // closes every pipe, stops and reaps every worker
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool has_idle() const;
  std::size_t busy() const;
  std::vector<std::size_t> points() const;  // the points on workers now
  void assign(std::size_t point);  // to an idle worker
  // Results and deaths within `timeout_ms` (fewer when a signal interrupts).
  // A dead worker is replaced unless stop() was called.
  std::vector<Event> wait(int timeout_ms);
  // SIGTERM to every worker; their points come back as deaths.
  void stop();

 private:
  struct Worker {
    pid_t pid = -1;
    int task_fd = -1, result_fd = -1;
    std::optional<std::size_t> point;
    std::string buffer;
  };
  void spawn(Worker& w);
  void reap(Worker& w, Event* event);

  RunPoint run_;
  std::vector<Worker> workers_;
  bool stopping_ = false;
};

}  // namespace qtrader
