#include "qtrader/engine.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "engine/backtest_loop.hpp"
#include "engine/market_data_cache.hpp"
#include "engine/param_overrides.hpp"
#include "engine/results_dir.hpp"
#include "engine/run_monitor.hpp"
#include "engine/run_logging.hpp"
#include "engine/script_binding.hpp"
#include "execution/execution_service.hpp"
#include "portfolio/portfolio.hpp"
#include "qtrader/config.hpp"
#include "qtrader/data.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/hash.hpp"
#include "qtrader/results.hpp"
#include "qtrader/lua/script_limits.hpp"
#include "qtrader/lua/script_params.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "qtrader/time.hpp"
#include "results/results_writer.hpp"
#include "risk/risk_service.hpp"
#include "store/event_store.hpp"
#include "strategy/strategy_service.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

// Which source each loaded symbol comes from, and its handle.
struct Universe {
  SymbolTable symbols;
  std::vector<const DataSourceConfig*> source_of;  // by symbol id
};

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

// Opens one stream per symbol (each reads its file incrementally) merged by time:
// from the binary bar cache when it is enabled, else from the CSV files.
// With a cache (long-lived engines), each symbol's bars come from memory when
// its file is unchanged since an earlier run over the same dates.
BarMerger open_market_data(const Universe& u, const BacktestConfig& bt, MarketDataCache* cache,
                           const BarCacheConfig& bar_cache) {
  std::vector<std::unique_ptr<BarStream>> streams;
  for (SymbolId s = 0; s < u.symbols.size(); ++s) {
    const auto& src = *u.source_of[s];
    const std::string file = src.file_for(u.symbols.name(s));
    streams.push_back(cache ? cache->open(src, file, s, bt.start_date, bt.end_date, bar_cache)
                            : open_bar_stream(src, file, s, bt.start_date, bt.end_date, bar_cache));
  }
  return BarMerger(std::move(streams));
}

ScriptLimits script_limits(const SandboxConfig& c) {
  ScriptLimits limits;
  limits.jit_for_scripts = c.mode == SandboxMode::Trusted;
  limits.memory_bytes = static_cast<std::size_t>(c.memory_mb * 1024.0 * 1024.0);
  limits.callback_seconds = c.callback_budget_ms / 1000.0;
  limits.init_seconds = c.init_budget_ms / 1000.0;
  limits.max_signals_per_callback = c.max_signals_per_callback;
  return limits;
}

std::string scripts_json(const std::vector<ScriptUse>& scripts) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& s : scripts) j.push_back({{"name", s.name}, {"kind", s.kind}, {"path", s.path}, {"hash", s.hash}});
  return j.dump();
}

// One hash over the three configuration files that define a run.
std::string config_hash(const std::string& backtest, const std::string& system,
                        const std::string& sources) {
  return hash_hex(fnv1a64(file_hash_hex(backtest) + file_hash_hex(system) + file_hash_hex(sources)));
}

// metrics.json and report.html, from the files the run has just written. A
// report that cannot be written is a warning: the run itself is complete.
void write_run_report(const std::string& results_dir, const std::string& root) {
  ReportOptions ro;
  ro.root = root;
  try {
    write_report(results_dir, ro);
  } catch (const std::exception& e) {
    spdlog::warn("report: {}", e.what());
  }
}

std::string wall_clock_iso() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &local);
  return buf;
}

std::vector<SymbolId> handles(const SymbolTable& symbols, const std::vector<std::string>& names) {
  std::vector<SymbolId> out;
  for (const auto& n : names) out.push_back(symbols.find(n));
  return out;
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(std::move(options)) {
  root_ = options_.root.empty() ? std::string(QTRADER_INSTALL_ROOT) : options_.root;
  if (options_.cache_market_data) cache_ = std::make_shared<MarketDataCache>();
}

MarketDataCacheStats Engine::market_data_cache_stats() const noexcept {
  if (!cache_) return {};
  return {cache_->files(), cache_->hits(), cache_->misses()};
}

RunResult Engine::run(const std::string& backtest_path, const RunOptions& options) {
  // ---- configuration: every problem is reported before anything is written
  const std::string system_path =
      options_.system_config.empty() ? root_ + "/config/system.yaml" : options_.system_config;
  const SystemConfig system = load_system_config(system_path);
  const DataSourcesConfig sources = load_data_sources(system.data.sources_config);
  BacktestConfig bt = load_backtest_config(backtest_path);
  apply_param_overrides(bt, options.params);
  validate_backtest(bt, sources);
  ScriptBinding scripts(root_, bt, script_limits(system.sandbox));
  scripts.check_names(bt);
  Universe universe = resolve_universe(bt, sources);

  BarMerger bars = open_market_data(universe, bt, cache_.get(), system.data.bar_cache);

  // ---- the run
  RunLogging logging(system.logging, options);
  RunResult result;
  if (!options.results_dir.empty()) {
    fs::create_directories(options.results_dir);
    result.results_dir = fs::absolute(options.results_dir).lexically_normal().string();
  } else {
    result.results_dir = make_results_dir(
        options.output_dir.empty() ? system.output.default_results_dir : options.output_dir,
        system.output);
  }
  logging.add_file(result.results_dir);
  spdlog::info("backtest {} -> {}", backtest_path, result.results_dir);

  try {
    std::vector<std::string> strategy_ids;
    for (const auto& s : bt.strategies) strategy_ids.push_back(s.strategy_id);
    const SymbolTable& symbols = universe.symbols;

    EventBus bus;
    // Subscription order is handling order: the store and the results files
    // record each event before the services react to it.
    EventStoreConfig store_config = system.output.event_store;
    if (options.memory_event_store) store_config.backend = EventStoreBackend::Memory;
    const auto store = EventStore::open(store_config, result.results_dir, bus, symbols, strategy_ids);
    store->begin_run({fs::path(result.results_dir).filename().string(), fs::absolute(backtest_path).string(),
                     config_hash(backtest_path, system_path, system.data.sources_config),
                     scripts_json(scripts.scripts_used()),
                     wall_clock_iso()});
    RunMonitor monitor(bus, *store, bt.end_date, options.progress && !options.quiet);
    try {
      ResultsWriter writer(result.results_dir, bus, symbols, strategy_ids);
      const CorporateActions actions = load_corporate_actions(symbols, universe.source_of);
      Portfolio portfolio(bus, bt.initial_equity, symbols.size(), system.portfolio, &actions);
      ExecutionService execution(bus, system.execution, system.portfolio, portfolio,
                                 symbols.size(), &actions);
      StrategyService strategies(bus, portfolio, symbols, bt.warmup_bars);
      RiskService risk(bus, portfolio, execution.commission(), symbols, strategy_ids,
                       &strategies.history());

      for (const auto& spec : bt.strategies) {
        auto& ctx = strategies.add(spec.strategy_id, handles(symbols, spec.universe));
        strategies.set_runtime(static_cast<StrategyIndex>(strategies.size() - 1),
                               scripts.load_strategy(spec, ctx));
      }
      auto policy = scripts.load_risk_policy(bt.risk_policy, risk);
      risk.set_policy(policy.get());

      std::uint64_t signals = 0, orders = 0, rejections = 0, fills = 0;
      bus.subscribe<SignalEvent>([&](const SignalEvent&) { ++signals; });
      bus.subscribe<OrderEvent>([&](const OrderEvent&) { ++orders; });
      bus.subscribe<OrderRejectedEvent>([&](const OrderRejectedEvent&) { ++rejections; });
      bus.subscribe<FillEvent>([&](const FillEvent&) { ++fills; });

      bus.publish(BacktestStartEvent{bt.start_date, bt.end_date, bt.initial_equity});
      strategies.init_all();
      const LoopStats stats = run_backtest_loop(bus, bars, bt.replay_speed);
      strategies.stop_all();
      bus.publish(BacktestEndEvent{stats.last, stats.bars});
      writer.close();
      writer.write_trades(portfolio.closed_trades());

      RunSummary& s = result.summary;
      s.bars_processed = stats.bars;
      s.timestamps = stats.timestamps;
      s.signals = signals;
      s.orders = orders;
      s.rejections = rejections;
      s.fills = fills;
      s.events = store->total();
      s.initial_equity = bt.initial_equity;
      s.final_cash = portfolio.cash();
      s.final_equity = portfolio.equity();
      s.realized_pnl = portfolio.realized_pnl();
      s.commissions = portfolio.commissions();
      s.trades = portfolio.closed_trades().size();
      s.start_date = format_date(bt.start_date);
      s.end_date = format_date(bt.end_date);
      if (stats.timestamps) {
        s.first_bar = format_timestamp(stats.first);
        s.last_bar = format_timestamp(stats.last);
      }
      for (const auto& p : portfolio.open_positions())
        s.open_positions.push_back({symbols.name(p.symbol), p.quantity, p.avg_price, p.last_price});
      s.scripts = scripts.scripts_used();
      writer.write_summary(s);
      monitor.finish();
      if (stats.timestamps) store->update_run(100.0, stats.last, stats.bars);
      store->finish_run(true, {}, wall_clock_iso());
      if (options.report) write_run_report(result.results_dir, root_);
      spdlog::info("done: {} bars, {} trades, final equity {:.2f}", s.bars_processed, s.trades,
                   s.final_equity);
    } catch (const std::exception& e) {
      monitor.finish();
      store->finish_run(false, e.what(), wall_clock_iso());
      throw;
    }
  } catch (const std::exception& e) {
    // Whatever was written stays: the store commits what it holds as it unwinds.
    logging.record_failure(e.what());
    throw;
  }
  return result;
}

void Engine::preload(const std::string& backtest_path) {
  if (!cache_) throw std::logic_error("Engine::preload needs EngineOptions::cache_market_data");
  const std::string system_path =
      options_.system_config.empty() ? root_ + "/config/system.yaml" : options_.system_config;
  const SystemConfig system = load_system_config(system_path);
  const DataSourcesConfig sources = load_data_sources(system.data.sources_config);
  const BacktestConfig bt = load_backtest_config(backtest_path);
  validate_backtest(bt, sources);
  // Script names and the YAML's own params: a sweep stops here, before any point runs.
  ScriptBinding(root_, bt, script_limits(system.sandbox)).check_names(bt);
  // Opening every stream through the cache reads each file into it.
  open_market_data(resolve_universe(bt, sources), bt, cache_.get(), system.data.bar_cache);
}

void Engine::check_param_names(const std::string& backtest_path,
                               const std::vector<std::string>& names) const {
  const std::string system_path =
      options_.system_config.empty() ? root_ + "/config/system.yaml" : options_.system_config;
  const SystemConfig system = load_system_config(system_path);
  const BacktestConfig bt = load_backtest_config(backtest_path);
  const ScriptRegistry registry(
      ScriptRoots{bt.script_paths, root_ + "/strategies", root_ + "/scripts"},
      script_limits(system.sandbox));
  for (std::size_t i = 0; i < names.size(); ++i) {
    const SourceLocation where = override_location(i);
    const OverrideTarget target = resolve_override_target(bt, names[i], where);
    const RegistryEntry* entry =
        target.strategy >= 0
            ? registry.find(bt.strategies[target.strategy].name, ScriptKind::Strategy)
            : registry.find(bt.risk_policy.name, ScriptKind::RiskPolicy);
    if (!entry || !entry->load_error.empty()) continue;  // run() reports these
    const bool declared = std::any_of(entry->params.begin(), entry->params.end(),
                                      [&](const ParamSpec& p) { return p.name == target.param; });
    if (declared) continue;
    // The same error as the name misspelt in the YAML (the value is never looked at).
    ParamValue any;
    any.where = where;
    resolve_params(entry->params, {{target.param, any}},
                   fmt::format("{} '{}'", target.strategy >= 0 ? "strategy" : "risk policy", entry->name),
                   target.strategy >= 0
                       ? fmt::format("strategies[{}].config", bt.strategies[target.strategy].strategy_id)
                       : std::string("risk_policy.config"));
  }
}

}  // namespace qtrader
