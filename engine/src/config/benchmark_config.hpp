// The backtest file's `benchmark:` key (docs/metrics.md, "Benchmark").
#pragma once

#include <string>

#include "config/yaml_reader.hpp"
#include "qtrader/config.hpp"

namespace qtrader::config_detail {

// Either {symbol, source?} or {file, kind?, column?}; a relative file is
// relative to the backtest file `path`.
BenchmarkSpec read_benchmark(const YamlValue& value, const std::string& path);

}  // namespace qtrader::config_detail
