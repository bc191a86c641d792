// The engine half of t.run{...}: a request becomes a real backtest (the
// registry, the strategy service, the risk policy, simulated execution, the
// portfolio; nothing re-implemented) in a throwaway folder, run through the
// embedding API, and its results come back as a table.
#pragma once

#include <string>
#include <vector>

#include "qtrader/config.hpp"

namespace qtrader::testkit {

class BacktestRunner {
 public:
  // `root`: the engine's root (built-in strategies). `library_paths`: the
  // script folders every run of the suite scans (the library under test).
  BacktestRunner(std::string root, SandboxConfig sandbox, std::vector<std::string> library_paths);

  // Throws std::exception with a message for the test's failure line.
  ParamValue operator()(const ParamValue& request, const std::string& test_file) const;

 private:
  std::string root_;
  SandboxConfig sandbox_;
  std::vector<std::string> library_paths_;
};

}  // namespace qtrader::testkit
