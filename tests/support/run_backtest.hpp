// Runs a backtest file through the embedding API, as the tests that need a
// whole run do: quiet, no progress bar, results under `output_dir`.
#pragma once

#include <string>

#include "qtrader/engine.hpp"

namespace qtrader::test {

inline RunResult run_backtest(const std::string& system_config, const std::string& backtest,
                              const std::string& output_dir, bool report = false) {
  EngineOptions eo;
  eo.system_config = system_config;
  Engine engine(eo);
  RunOptions ro;
  ro.output_dir = output_dir;
  ro.quiet = true;
  ro.progress = false;
  ro.report = report;
  return engine.run(backtest, ro);
}

}  // namespace qtrader::test
