// A run's futures (docs/futures.md): the contracts files its sources name,
// the contract symbols a continuous symbol adds to the universe, each root's
// continuous series built from its contracts' files, and the terms the
// portfolio and execution read by symbol handle.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/contracts_config.hpp"
#include "data/continuous_contract.hpp"
#include "data/futures_terms.hpp"
#include "qtrader/config.hpp"

namespace qtrader {

struct Universe;
struct ExchangeSetup;

struct FuturesRun {
  std::vector<std::shared_ptr<const ContractsConfig>> files;  // one per contracts path
  FuturesTerms terms;
  // By symbol: a continuous symbol's bars (nullptr for every other symbol).
  std::vector<std::shared_ptr<const std::vector<Bar>>> series;
  // Each root's rolls as built, by continuous symbol (for `qtrader` output and tests).
  std::vector<std::pair<SymbolId, ContinuousSeries>> built;
  bool any() const noexcept { return terms.any(); }
};

// Before the exchange setup: reads each source's contracts file, checks that
// every universe symbol of such a source is a root or a contract of it (a
// ConfigError at the universe entry otherwise) and interns each root's
// contracts after the universe. Returns the files read (empty: no futures).
std::vector<std::shared_ptr<const ContractsConfig>> add_contract_symbols(Universe& universe,
                                                                         const BacktestConfig& backtest,
                                                                         const DataSourcesConfig& sources);

// After it: reads every contract's whole file and builds the series and
// the terms.
FuturesRun build_futures(std::vector<std::shared_ptr<const ContractsConfig>> files, const Universe& universe,
                         const ExchangeSetup& exchange, const BarCacheConfig& bar_cache);

}  // namespace qtrader
