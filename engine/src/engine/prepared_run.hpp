// What a run needs before it writes anything: the system, data-sources and
// backtest files read and checked, the param overrides applied, the scripts
// found by name, and the universe resolved to symbol handles. Engine::run,
// Engine::preload and Engine::check_param_names all start here, so the three
// report the same problems in the same order.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/benchmark_series.hpp"
#include "engine/exchange_setup.hpp"
#include "engine/futures_setup.hpp"
#include "engine/script_binding.hpp"
#include "qtrader/config.hpp"
#include "qtrader/data.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/timestamp_format.hpp"

namespace qtrader {

class MarketDataCache;

// Which source each loaded symbol comes from, and its handle.
struct Universe {
  SymbolTable symbols;
  std::vector<const DataSourceConfig*> source_of;  // by symbol id
};

struct PreparedRun {
  std::string backtest_path;
  std::string system_path;
  SystemConfig system;
  DataSourcesConfig sources;
  BacktestConfig backtest;
  std::unique_ptr<ScriptBinding> scripts;  // names checked against the registry
  Universe universe;
  std::vector<ParamOverride> overrides;  // as given, applied to `backtest`
  std::vector<BenchmarkPoint> benchmark;  // empty: no `benchmark:`
  ExchangeSetup exchange;  // each symbol's trading day and the run's
  FuturesRun futures;      // contracts, continuous series, rolls; empty without futures
  TimestampFormat times;   // set once the market data is open (Engine::run)
  // By symbol id: the bar cache file each symbol's bars are read from
  // unchanged, if any (set by open_market_data; the event store may keep
  // references to them instead of copies).
  std::vector<std::optional<BarSource>> bar_sources;
};

// system.yaml's `sandbox:` as the Lua host's limits (also what `qtrader test`
// gives test files).
ScriptLimits script_limits(const SandboxConfig& c);

// Throws ConfigError for any bad input; writes nothing. `data_dir` (`--data`):
// a folder of SYMBOL.csv files every source of the backtest reads instead.
// A `span` day that is not 0 replaces the backtest's start_date / end_date.
struct RunSpan {
  Timestamp start_date = 0, end_date = 0;
};
PreparedRun prepare_run(const std::string& root, const std::string& system_path,
                        const std::string& backtest_path, const std::vector<ParamOverride>& params,
                        const std::string& data_dir = {}, RunSpan span = {});

// One stream per symbol (each reads its file incrementally) merged by time:
// from the binary bar cache when it is enabled, else from the CSV files.
// With a cache (long-lived engines), each symbol's bars come from memory when
// its file is unchanged since an earlier run over the same dates.
// Each stream goes through its exchange (ExchangeBarStream: sessions, the
// non-session-day warning). `intraday`, when given, is set to whether the
// run's timestamps are instants rather than dates: a source with `frequency:
// intraday`, or with `frequency: auto` whose first two bars in range are not
// both at its exchange's local midnight. `sources`, when given, gets each
// symbol's BarSource (by symbol id; nullopt for a stream that has none).
BarMerger open_market_data(const PreparedRun& run, MarketDataCache* cache, bool* intraday = nullptr,
                           std::vector<std::optional<BarSource>>* sources = nullptr);

}  // namespace qtrader
