// `qtrader data check`: what a source's files hold and what is wrong with
// them, symbol by symbol (docs/data.md "Checking data").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader {

struct DataCheckOptions {
  std::string system_config;  // for data_sources.yaml and data.default_mode; required
  std::string data_dir;       // `--data DIR`, as for `qtrader run`
  int max_gap = 3;            // report runs of more missing weekdays than this
};

struct SymbolDataCheck {
  std::string symbol;
  std::string source;
  std::string file;
  std::size_t bars = 0;
  Timestamp first = 0, last = 0;  // 0 when the file has no bar
  // Each "FILE:LINE: reason". The reader stops a file at its first bad row
  // (unparsable, repeated or out-of-order timestamp, price <= 0, high < low),
  // so a file shows at most one of those; every open or close outside the
  // bar's low..high is listed.
  std::vector<std::string> errors;
  std::vector<std::string> gaps;  // "N weekdays missing between D1 and D2"
};

struct DataCheckReport {
  std::vector<SymbolDataCheck> symbols;
  std::size_t error_count() const;
};

// `target`: a backtest file (its universe, through its sources), the name of
// a data_sources.yaml source (every SYMBOL.csv/.txt its path holds) or a
// folder of SYMBOL.csv files (layout as `--data`). Throws ConfigError when the
// target or its configuration cannot be read.
DataCheckReport check_data(const std::string& target, const DataCheckOptions& options);

}  // namespace qtrader
