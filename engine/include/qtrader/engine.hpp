// The embedding API: load a backtest, run it, read where its results went.
// An Engine is reusable: each run() re-reads the configuration and the
// scripts, so a script edited between two runs takes effect in the second.
#pragma once

#include <string>
#include <vector>

#include "qtrader/events.hpp"

namespace qtrader {

struct RunSummary {
  std::uint64_t bars_processed = 0;
  std::uint64_t timestamps = 0;
  std::uint64_t signals = 0;
  std::uint64_t orders = 0;
  std::uint64_t rejections = 0;
  std::uint64_t fills = 0;
  std::uint64_t events = 0;
  double initial_equity = 0.0;
  double final_cash = 0.0;
  double final_equity = 0.0;
  double realized_pnl = 0.0;
  double commissions = 0.0;
  std::size_t trades = 0;
  std::string start_date, end_date;  // configured
  std::string first_bar, last_bar;   // seen; empty when no bar was in range
  struct OpenPosition {
    std::string symbol;
    double quantity, avg_price, last_price;
  };
  std::vector<OpenPosition> open_positions;
};

struct EngineOptions {
  // config/system.yaml to use; empty: <root>/config/system.yaml.
  std::string system_config;
  // Folder holding the built-in strategies/ and scripts/; empty: the source tree
  // this binary was built from.
  std::string root;
};

struct RunOptions {
  std::string output_dir;  // overrides output.default_results_dir when not empty
  bool quiet = false;      // no log lines on stderr below warnings
  bool verbose = false;    // debug log lines on stderr
  bool progress = true;    // a progress bar on stderr when it is a terminal (not with quiet)
};

struct RunResult {
  std::string results_dir;
  RunSummary summary;
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});

  // Runs the backtest file. Throws ConfigError or DataError for bad input,
  // ScriptError when a script fails; results written before a failure stay on disk.
  RunResult run(const std::string& backtest_path, const RunOptions& options = {});

  const std::string& root() const noexcept { return root_; }

 private:
  EngineOptions options_;
  std::string root_;
};

}  // namespace qtrader
