#include "engine/prepared_run.hpp"

#include "engine/exchange_bar_stream.hpp"
#include "engine/market_data_cache.hpp"
#include "engine/param_overrides.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_limits.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace {

Universe resolve_universe(const BacktestConfig& bt, const DataSourcesConfig& sources) {
  Universe u;
  for (const auto& use : bt.sources) {
    const DataSourceConfig* src = sources.find(use.name);
    for (const auto& name : use.universe) {
      if (u.symbols.find(name) != kNoSymbol)
        throw ConfigError(use.where.file, use.where.line, "data.sources",
                          "symbol '" + name + "' is loaded by more than one source");
      u.symbols.intern(name);
      u.source_of.push_back(src);
    }
  }
  return u;
}


// A run whose dates miss every file: its range and what each file holds.
ConfigError no_bars_in_range(const PreparedRun& run) {
  const Universe& u = run.universe;
  const BacktestConfig& bt = run.backtest;
  std::string reason =
      "no bars between " + format_date(bt.start_date) + " and " + format_date(bt.end_date) + ":";
  for (SymbolId s = 0; s < u.symbols.size(); ++s) {
    const std::string& name = u.symbols.name(s);
    const auto& src = *u.source_of[s];
    if (run.futures.terms.is_continuous(s)) continue;  // made of its contracts, listed too
    const BarCoverage c = bar_coverage(src, src.file_for(name), run.system.data.bar_cache);
    reason += (s == 0 ? " " : ", ") + name +
              (c.bars == 0 ? " has no bars" : " has " + format_date(c.first) + ".." + format_date(c.last));
  }
  const SourceLocation& w = bt.start_date_where;
  return ConfigError(w.file.empty() ? bt.path : w.file, w.line, "", reason);
}

// execution.impact.symbols by symbol id. A symbol the universe does not hold
// is passed over: one system.yaml serves many backtests.
void resolve_symbol_impact(ExecutionConfig& ex, const SymbolTable& symbols) {
  if (ex.impact_symbols.empty()) return;
  ex.impact_by_symbol.assign(symbols.size(), ex.impact);
  for (const auto& [name, config] : ex.impact_symbols)
    if (const SymbolId id = symbols.find(name); id != kNoSymbol) ex.impact_by_symbol[id] = config;
}

}  // namespace

ScriptLimits script_limits(const SandboxConfig& c) {
  ScriptLimits limits;
  limits.jit_for_scripts = c.mode == SandboxMode::Trusted;
  limits.memory_bytes = static_cast<std::size_t>(c.memory_mb * 1024.0 * 1024.0);
  limits.callback_seconds = c.callback_budget_ms / 1000.0;
  limits.init_seconds = c.init_budget_ms / 1000.0;
  limits.max_signals_per_callback = c.max_signals_per_callback;
  return limits;
}

PreparedRun prepare_run(const std::string& root, const std::string& system_path,
                        const std::string& backtest_path, const std::vector<ParamOverride>& params,
                        const std::string& data_dir, RunSpan span) {
  PreparedRun p;
  p.backtest_path = backtest_path;
  p.system_path = system_path;
  p.system = load_system_config(system_path);
  p.backtest = load_backtest_config(backtest_path);
  if (span.start_date) p.backtest.start_date = span.start_date;
  if (span.end_date) p.backtest.end_date = span.end_date;
  if (!data_dir.empty()) use_data_folder(p.backtest, data_dir);
  // data_sources.yaml is read only for a source the backtest does not define.
  if (needs_sources_file(p.backtest)) {
    const DataSourcesConfig file = load_data_sources(p.system.data.sources_config, p.system.data.default_timezone);
    p.sources = sources_for(p.backtest, &file, p.system.data.default_mode,
                            p.system.data.default_timezone);
  } else {
    p.sources = sources_for(p.backtest, nullptr, p.system.data.default_mode,
                            p.system.data.default_timezone);
  }
  apply_param_overrides(p.backtest, params);
  p.overrides = params;
  validate_backtest(p.backtest, p.sources);
  check_backtest_paths(p.backtest, p.sources);
  p.benchmark = load_benchmark_series(p.backtest, check_benchmark(p.backtest, p.sources));
  p.scripts = std::make_unique<ScriptBinding>(root, p.backtest, script_limits(p.system.sandbox));
  p.scripts->check_names(p.backtest);
  p.universe = resolve_universe(p.backtest, p.sources);
  auto contracts = add_contract_symbols(p.universe, p.backtest, p.sources);
  p.exchange = make_exchange_setup(root + "/data", p.backtest, p.universe);
  p.futures = build_futures(std::move(contracts), p.universe, p.exchange, p.system.data.bar_cache);
  resolve_symbol_impact(p.system.execution, p.universe.symbols);  // every symbol known, contracts too
  return p;
}

BarMerger open_market_data(const PreparedRun& run, MarketDataCache* cache, bool* intraday,
                           std::vector<std::optional<BarSource>>* sources) {
  const Universe& u = run.universe;
  const BacktestConfig& bt = run.backtest;
  const BarCacheConfig& bar_cache = run.system.data.bar_cache;
  std::vector<std::unique_ptr<BarStream>> streams;
  std::vector<const ExchangeBarStream*> exchange_streams;  // owned by the merger
  for (SymbolId s = 0; s < u.symbols.size(); ++s) {
    const auto& src = *u.source_of[s];
    const std::string file = src.file_for(u.symbols.name(s));
    // start_date and end_date are days of the symbol's exchange: New York
    // minute bars of 2024-03-03 19:00-24:00 local are not 2024-03-04's.
    const TimeZone& zone = run.exchange.clocks[s].zone();
    const Timestamp start = zone.day_start(TimeZone::utc().local_day(bt.start_date));
    const Timestamp end = zone.day_start(TimeZone::utc().local_day(bt.end_date) + 1) - 1;
    const auto& series = run.futures.any() ? run.futures.series[s] : nullptr;
    auto raw = series ? series_stream(series, s, start, end)
               : cache ? cache->open(src, file, s, start, end, bar_cache)
                       : open_bar_stream(src, file, s, start, end, bar_cache);
    auto stream = std::make_unique<ExchangeBarStream>(std::move(raw), run.exchange.clocks[s],
                                                      src.outside_session == "drop", u.symbols.name(s));
    exchange_streams.push_back(stream.get());
    if (sources) {
      const BarSource* source = stream->source();
      sources->push_back(source ? std::optional<BarSource>(*source) : std::nullopt);
    }
    streams.push_back(std::move(stream));
  }
  BarMerger merger(std::move(streams));  // reads each stream's first bar (and, ahead, its second)
  if (merger.empty()) throw no_bars_in_range(run);
  if (intraday) {
    *intraday = false;
    for (SymbolId s = 0; s < u.symbols.size(); ++s) {
      const std::string& frequency = u.source_of[s]->frequency;
      if (frequency == "intraday" || (frequency == "auto" && exchange_streams[s]->intraday())) *intraday = true;
    }
  }
  return merger;
}

}  // namespace qtrader
