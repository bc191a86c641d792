// Logging for one run: stderr (level by config, --quiet, --verbose) and, when
// logging.file is on, run.log in the results folder (at logging.file_level),
// each line as logging.format says. Restores the previous
// default logger when the run ends.
#pragma once

#include <memory>
#include <string>

#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"

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
  std::shared_ptr<spdlog::logger> previous_, logger_, file_only_;
  std::string level_;
  bool file_;
  bool json_;
};

}  // namespace qtrader
