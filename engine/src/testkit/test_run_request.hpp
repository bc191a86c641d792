// The table a test gives t.run{...} (docs/strategy-tests.md, "Runs"), read and
// checked: every key known, paths resolved against the test file's folder.
#pragma once

#include <string>
#include <vector>

#include "qtrader/config.hpp"

namespace qtrader::testkit {

// One symbol's bars: a CSV file, or rows given inline.
struct SymbolBars {
  std::string symbol;
  std::string csv_path;           // absolute; empty for inline rows
  std::vector<ParamValue> rows;   // each {time, open, high, low, close, volume} (list or map)
};

struct TestRunRequest {
  std::string strategy;       // registry name, or an absolute file path when strategy_file
  bool strategy_file = false;
  ParamMap params;            // the strategy's config
  std::string risk = "fixed_quantity";
  ParamMap risk_params;
  std::vector<std::string> symbols;
  std::vector<SymbolBars> bars;
  std::string bars_folder;    // absolute; a folder of SYMBOL.csv files (bars = "folder")
  double cash = 100000.0;
  std::string start = "1900-01-01", end = "2200-12-31";
  long long warmup = 0;
  double commission = 0.0;    // percentage rate
  std::string fill_policy = "next_bar_open";
  std::vector<std::string> script_paths;  // absolute
  std::string strategy_id = "test";
};

// Throws std::invalid_argument naming the key ("run.bars.AAA: ...").
TestRunRequest read_test_run_request(const ParamValue& request, const std::string& test_file);

}  // namespace qtrader::testkit
