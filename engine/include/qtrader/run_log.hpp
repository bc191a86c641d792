// The logger library code writes to: the logger of the run on this thread
// while Engine::run runs, else spdlog's default logger. The library never
// replaces spdlog's process-wide default logger, so two Engines running on
// two threads each log into their own run.log, and an application's own
// logging is left as it set it up.
#pragma once

#include <memory>

namespace spdlog {
class logger;
}

namespace qtrader {

// The run's logger on this thread, else spdlog::default_logger().
spdlog::logger& run_log();
// The run's logger on this thread; null outside a run.
std::shared_ptr<spdlog::logger> thread_run_logger();

// Makes `logger` this thread's run logger until destroyed (then the one before).
class ScopedRunLogger {
 public:
  explicit ScopedRunLogger(std::shared_ptr<spdlog::logger> logger);
  ~ScopedRunLogger();
  ScopedRunLogger(const ScopedRunLogger&) = delete;
  ScopedRunLogger& operator=(const ScopedRunLogger&) = delete;

 private:
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace qtrader
