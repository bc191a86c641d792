// `qtrader impact calibrate RUN_DIR` (docs/execution.md "Market impact"):
// the impact coefficient that best explains a finished run's fills, per
// symbol, from its events.sqlite (fills and bars), by calibrate_impact.
#pragma once

#include <string>
#include <vector>

#include "execution/market_impact.hpp"
#include "qtrader/config.hpp"

namespace qtrader {

struct SymbolImpactFit {
  std::string symbol;
  std::size_t fills = 0;  // all of the symbol's fills; fit.observations of them had full windows
  ImpactFit fit;
};

// Symbols in the order of their first bar. Throws DataError when the folder
// has no events.sqlite with bars.
std::vector<SymbolImpactFit> calibrate_run_impact(const std::string& run_dir, const ImpactConfig& config);

}  // namespace qtrader
