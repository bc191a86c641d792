// The run's benchmark as a price series (docs/metrics.md, "Benchmark"), read
// before anything is written and saved as benchmark.csv in the results
// folder, from which the metrics compute alpha, beta and the rest.
#pragma once

#include <string>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

struct BenchmarkPoint {
  Timestamp ts;
  double price;  // a returns CSV becomes the growth of 1
};

// The prices in [start_date, end_date] of backtest.benchmark: the closes of
// the symbol's file read as `source` reads it (its layout, time zone and
// price_mode), or the CSV's column. Empty without a benchmark. Throws
// ConfigError (at the `benchmark:` line) for a missing column or no price in
// the dates, DataError (file, line) for a bad row.
std::vector<BenchmarkPoint> load_benchmark_series(const BacktestConfig& backtest,
                                                  const DataSourceConfig* source);

// benchmark.csv (timestamp,price); nothing without a benchmark.
void write_benchmark_csv(const std::string& results_dir, const std::vector<BenchmarkPoint>& series);

}  // namespace qtrader
