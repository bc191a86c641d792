// Logging for one run: stderr (level by config, --quiet, --verbose) and, when
// logging.file is on, run.log in the results folder (at logging.file_level),
// each line as logging.format says. The logger is this thread's run logger
// (qtrader/run_log.hpp) for the run's length; spdlog's process-wide default
// logger is never touched, so runs on other threads keep their own.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/run_log.hpp"

namespace spdlog {
class logger;
}

namespace qtrader {

class RunLogging {
 public:
  RunLogging(const LoggingConfig& config, const RunOptions& options);
  ~RunLogging();
  // Adds run.log in `dir` once the results folder exists.
  void add_file(const std::string& dir);
  // Writes why the run failed to run.log only: the caller reports it to the user.
  void record_failure(const std::string& message);

 private:
  std::shared_ptr<spdlog::logger> logger_, file_only_;
  std::optional<ScopedRunLogger> scope_;
  std::string level_;
  bool file_;
  bool json_;
};

}  // namespace qtrader
