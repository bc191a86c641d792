// Runs a backtest file through the embedding API, as the tests that need a
// whole run do: quiet, no progress bar, results under `output_dir`.
#pragma once

#include <string>

#include "qtrader/engine.hpp"

namespace qtrader::test {

// Quiet, no progress bar; the caller sets where the results go.
inline RunOptions quiet_run_options(bool report = false) {
  RunOptions ro;
  ro.quiet = true;
  ro.report = report;
  return ro;
}

inline RunResult run_backtest(const std::string& system_config, const std::string& backtest,
                              RunOptions ro) {
  EngineOptions eo;
  eo.system_config = system_config;
  Engine engine(eo);
  return engine.run(backtest, ro);
}

inline RunResult run_backtest(const std::string& system_config, const std::string& backtest,
                              const std::string& output_dir, bool report = false) {
  RunOptions ro = quiet_run_options(report);
  ro.output_dir = output_dir;
  return run_backtest(system_config, backtest, ro);
}

}  // namespace qtrader::test
