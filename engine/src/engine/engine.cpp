#include "qtrader/engine.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "engine/library_check.hpp"
#include "engine/market_data_cache.hpp"
#include "engine/param_overrides.hpp"
#include "engine/prepared_run.hpp"
#include "engine/results_dir.hpp"
#include "engine/run_logging.hpp"
#include "engine/run_services.hpp"
#include "qtrader/data_home.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/results.hpp"
#include "qtrader/run_log.hpp"
#include "qtrader/lua/script_params.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "store/contract_schemas.hpp"
#include "store/event_export.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

// metrics.json and report.html, from the files the run has just written. A
// report that cannot be written is a warning: the run itself is complete.
void write_run_report(const std::string& results_dir) {
  try {
    write_report(results_dir);
  } catch (const std::exception& e) {
    run_log().warn("report: {}", e.what());
  }
}

RunFolder results_dir_for(const OutputConfig& output, const RunOptions& options) {
  if (options.results_dir.empty())
    return make_results_dir(options.output_dir.empty() ? output.default_results_dir : options.output_dir,
                            output);
  return claim_run_folder(options.results_dir);
}

// --validate-events: the run's stored events against the contracts, after the
// last one is committed and before the run is called complete.
void check_event_contracts(const std::string& results_dir, const std::string& contracts_dir) {
  const std::string store = results_dir + "/events.sqlite";
  if (!fs::exists(store))
    throw std::runtime_error("--validate-events needs events.sqlite (output.event_store: sqlite)");
  const auto schemas = contracts::ContractSchemas::load(contracts_dir);
  const auto checked = contracts::validate_events(store, schemas, 3);
  if (checked.invalid_count == 0) {
    run_log().info("events: {} checked against {}, all valid", checked.events, contracts_dir);
    return;
  }
  std::string what = fmt::format("{} of {} events break their contract ({})", checked.invalid_count,
                                 checked.events, contracts_dir);
  for (const auto& bad : checked.invalid)
    what += fmt::format("; event {} ({}): {}", bad.seq, bad.type, bad.problems.front());
  throw std::runtime_error(what);
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(std::move(options)) {
  root_ = options_.root.empty() ? find_data_home() : options_.root;
  if (options_.cache_market_data) cache_ = std::make_shared<MarketDataCache>();
}

MarketDataCacheStats Engine::market_data_cache_stats() const noexcept {
  if (!cache_) return {};
  return {cache_->files(), cache_->hits(), cache_->misses()};
}

std::string Engine::system_config_path() const {
  return options_.system_config.empty() ? root_ + "/config/system.yaml" : options_.system_config;
}

RunResult Engine::run(const std::string& backtest_path, const RunOptions& options) {
  // Every problem with the input is reported before anything is written.
  PreparedRun prepared = prepare_run(root_, system_config_path(), backtest_path, options.params,
                                     options_.data_dir, {options.start_date, options.end_date});
  if (!options.allow_unlocked) check_against_lock(prepared.scripts->libraries_used(), backtest_path);
  bool intraday = false;
  BarMerger bars = open_market_data(prepared, cache_.get(), &intraday, &prepared.bar_sources);
  // One form for every timestamp column, decided before the first row.
  prepared.times = intraday ? TimestampFormat::instants()
                            : TimestampFormat::dates(prepared.exchange.run.zone());

  RunLogging logging(prepared.system.logging, options);
  RunResult result;
  const RunFolder folder = results_dir_for(prepared.system.output, options);
  result.results_dir = folder.path;
  logging.add_file(result.results_dir);
  run_log().info("backtest {} -> {}", backtest_path, result.results_dir);
  write_benchmark_csv(result.results_dir, prepared.benchmark);
  try {
    EventBus bus;
    RunRecord record(bus, prepared, result.results_dir, options);
    try {
      RunServices services(bus, prepared, result.results_dir);
      record.record_params(prepared);
      const LoopStats stats = services.run(bars, options.acceleration_factor, options.stop);
      result.summary = services.summarize(stats, record.store());
      services.write_summary(result.summary);
      if (options.validate_events) {
        record.store().flush();
        check_event_contracts(result.results_dir, root_ + "/contracts");
      }
      record.complete(stats);
    } catch (const RunInterrupted& e) {
      record.interrupt(e.what());
      throw;
    } catch (const std::exception& e) {
      record.fail(e.what());
      throw;
    }
    if (options.report) write_run_report(result.results_dir);
    run_log().info("done: {} bars, {} trades, final equity {:.2f}", result.summary.bars_processed,
                 result.summary.trades, result.summary.final_equity);
  } catch (const SQLite::Exception& e) {
    // A full disk reaches the store first (it commits every few thousand
    // events): say which file and why in the words of every other write error.
    logging.record_failure(e.what());
    if (e.getErrorCode() == SQLITE_FULL)
      throw std::runtime_error(fmt::format("{}/events.sqlite: cannot write: No space left on device ({})",
                                           result.results_dir, e.what()));
    throw;
  } catch (const std::exception& e) {
    // Whatever was written stays: the store commits what it holds as it unwinds.
    logging.record_failure(e.what());
    throw;
  }
  return result;
}

void Engine::preload(const std::string& backtest_path) {
  if (!cache_) throw std::logic_error("Engine::preload needs EngineOptions::cache_market_data");
  // A sweep stops here, on a bad file or script name, before any point runs;
  // opening every stream through the cache reads each file into it.
  open_market_data(prepare_run(root_, system_config_path(), backtest_path, {}, options_.data_dir), cache_.get());
}

std::vector<LibraryUse> Engine::libraries_used(const std::string& backtest_path) const {
  return prepare_run(root_, system_config_path(), backtest_path, {}, options_.data_dir).scripts->libraries_used();
}

void Engine::check_param_names(const std::string& backtest_path,
                               const std::vector<std::string>& names) const {
  const PreparedRun prepared = prepare_run(root_, system_config_path(), backtest_path, {}, options_.data_dir);
  const BacktestConfig& bt = prepared.backtest;
  const ScriptRegistry& registry = prepared.scripts->registry();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const SourceLocation where = override_location(i);
    const OverrideTarget target = resolve_override_target(bt, names[i], where);
    if (target.strategy >= 0 && target.param == "warmup_bars") continue;  // the engine's
    const RegistryEntry* entry =
        target.strategy >= 0
            ? registry.find(bt.strategies[target.strategy].name, ScriptKind::Strategy)
            : registry.find(bt.risk_policy.name, ScriptKind::RiskPolicy);
    if (!entry || !entry->load_error.empty()) continue;  // prepare_run reported these
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
