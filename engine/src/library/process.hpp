// Runs a program (no shell) and collects what it printed: for `git` in `qtrader lib add`.
#pragma once

#include <string>
#include <vector>

namespace qtrader {

struct ProcessResult {
  int status = -1;     // the exit status; -1 when it could not start or was killed
  std::string output;  // stdout and stderr, interleaved
};

ProcessResult run_process(const std::vector<std::string>& argv);

}  // namespace qtrader
