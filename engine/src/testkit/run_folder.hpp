// The throwaway folder one t.run{...} runs in: a system.yaml fixing the rules
// a test relies on (commission, fill policy, no caches, no log file), the
// backtest.yaml the request describes, data/SYMBOL.csv for every symbol and
// results/ for the engine. Removed when the object goes away.
#pragma once

#include <string>

#include "qtrader/config.hpp"
#include "testkit/test_run_request.hpp"

namespace qtrader::testkit {

class RunFolder {
 public:
  // `strategy_name`: the registry name to put in the backtest. `script_paths`:
  // the folders the registry scans besides the built-ins.
  RunFolder(const TestRunRequest& request, const std::string& strategy_name,
            const std::vector<std::string>& script_paths, const SandboxConfig& sandbox);
  ~RunFolder();
  RunFolder(const RunFolder&) = delete;
  RunFolder& operator=(const RunFolder&) = delete;

  const std::string& path() const noexcept { return path_; }
  std::string system_yaml() const { return path_ + "/system.yaml"; }
  std::string backtest_yaml() const { return path_ + "/backtest.yaml"; }
  std::string data_dir() const { return data_dir_; }
  std::string results_dir() const { return path_ + "/results"; }

 private:
  std::string path_, data_dir_;
};

}  // namespace qtrader::testkit
