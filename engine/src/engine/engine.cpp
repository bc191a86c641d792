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
#include "qtrader/lua/call_monitor.hpp"
#include "qtrader/lua/script_params.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "store/contract_schemas.hpp"
#include "store/event_export.hpp"
#include "store/checkpoint_table.hpp"
#include "engine/checkpoint_inputs.hpp"
#include "results/results_writer.hpp"
#include "qtrader/time.hpp"
#include "store/run_database.hpp"
#include <nlohmann/json.hpp>

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

// A checkpoint lives in events.sqlite, beside the events it covers.
void check_checkpoint_store(const PreparedRun& prepared, const RunOptions& options) {
  const BacktestConfig& bt = prepared.backtest;
  if (bt.checkpoint_every == 0) return;
  const EventStoreConfig& store = prepared.system.output.event_store;
  if (store.backend != EventStoreBackend::Sqlite || options.memory_event_store) {
    const SourceLocation& w = bt.checkpoint_every_where;
    throw ConfigError(w.file.empty() ? bt.path : w.file, w.line, "checkpoint_every",
                      "needs output.event_store: sqlite (a checkpoint is kept in events.sqlite with the events it "
                      "covers, which a resumed run continues)");
  }
}

constexpr int kCheckpointVersion = 1;
// Where a resumed run sets the killed run's result files aside while it cuts
// them back to the checkpoint (ResultsWriter::restore).
constexpr const char* kSavedSuffix = ".resume";

// A run's last checkpoint, read and checked before anything is written.
struct ResumePoint {
  StoredCheckpoint stored;
  nlohmann::json state;
  CheckpointInputs inputs;
};

ResumePoint read_resume_point(const fs::path& dir) {
  const std::string store = (dir / "events.sqlite").string();
  if (!fs::is_regular_file(store))
    throw std::runtime_error(fmt::format("{}: no events.sqlite: not the folder of a run with output.event_store: "
                                         "sqlite, which checkpoints need",
                                         dir.string()));
  {
    SQLite::Database db = store::open_run_database(store, SQLite::OPEN_READONLY);
    if (db.tableExists("runs")) {
      SQLite::Statement q(db, "SELECT status FROM runs LIMIT 1");
      if (q.executeStep() && q.getColumn(0).getString() == "completed")
        throw std::runtime_error(fmt::format("{}: the run is already completed: nothing to resume", dir.string()));
    }
  }
  auto stored = read_checkpoint(store);
  if (!stored)
    throw std::runtime_error(fmt::format(
        "{}: the run has no checkpoint (its backtest has no checkpoint_every, or it stopped before the first): "
        "rerun it with qtrader run",
        dir.string()));
  ResumePoint point{*stored, nlohmann::json::parse(stored->state), {}};
  if (point.state.value("version", 0) != kCheckpointVersion)
    throw std::runtime_error(fmt::format("{}: the checkpoint is of another qtrader version ({}, this one reads {})",
                                         dir.string(), point.state.value("version", 0), kCheckpointVersion));
  point.inputs = inputs_from_json(point.state.at("inputs").dump());
  return point;
}

// The killed run's streaming files (NAME.partial, or NAME when it died after
// closing them) become NAME.resume; the resumed run's writer opens NAME.partial
// afresh and copies back what the checkpoint counted.
void set_aside_result_files(const fs::path& dir) {
  for (const std::string& name : ResultsWriter::streaming_files()) {
    const fs::path partial = dir / (name + ".partial"), whole = dir / name, saved = dir / (name + kSavedSuffix);
    if (fs::exists(partial)) fs::rename(partial, saved);
    else if (fs::exists(whole)) fs::rename(whole, saved);
    else if (!fs::exists(saved))  // a resume that itself died keeps the set-aside copy
      throw std::runtime_error(fmt::format("{}: {} is missing: cannot resume", dir.string(), name));
  }
}

// One run, new or resumed, once its inputs are checked and its folder held.
RunResult execute_run(const std::string& root, PreparedRun& prepared, BarMerger& bars, RunFolder& folder,
                      RunLogging& logging, const RunOptions& options, const std::string& data_dir,
                      const ResumePoint* resume) {
  RunResult result;
  result.results_dir = folder.path;
  // A supervised child (docs/sandbox.md, "Supervised strict mode") tells its
  // parent where to record the run should the parent have to stop it.
  if (CallPublisher* supervised = attached_call_publisher()) supervised->publish_results_dir(result.results_dir);
  logging.add_file(result.results_dir);
  if (resume)
    run_log().info("resume {} from its checkpoint at {} (event {})", result.results_dir,
                   format_timestamp(resume->stored.ts), resume->stored.seq);
  else
    run_log().info("backtest {} -> {}", prepared.backtest_path, result.results_dir);
  write_benchmark_csv(result.results_dir, prepared.benchmark);
  try {
    EventBus bus;
    RunRecord record(bus, prepared, result.results_dir, options);
    try {
      RunServices services(bus, prepared, result.results_dir);
      record.record_params(prepared);
      LoopCheckpoints checkpoints;
      std::string inputs;  // hashed once, at the first checkpoint
      if (prepared.backtest.checkpoint_every > 0) {
        checkpoints.every = static_cast<std::uint64_t>(prepared.backtest.checkpoint_every);
        checkpoints.write = [&](const LoopStats& stats) {
          if (inputs.empty()) inputs = to_json(checkpoint_inputs(prepared, options, data_dir));
          const std::uint64_t seq = record.store().total();
          const nlohmann::json state{
              {"version", kCheckpointVersion},
              {"seq", seq},
              {"ts", stats.last},
              {"loop", {{"timestamps", stats.timestamps}, {"bars", stats.bars}, {"first", stats.first}, {"last", stats.last}}},
              {"inputs", nlohmann::json::parse(inputs)},
              {"record", nlohmann::json::parse(record.snapshot())},
              {"services", nlohmann::json::parse(services.snapshot())}};
          record.store().write_checkpoint(seq, stats.last, state.dump());
        };
      }
      if (resume) {
        if (!checkpoints.every)
          throw std::runtime_error("cannot resume: the backtest no longer has checkpoint_every");
        inputs = resume->state.at("inputs").dump();
        checkpoints.resume_after = resume->stored.ts;
        services.prepare_resume(resume->state.at("services").dump());  // before on_init, which finds them made
        checkpoints.catch_up = [&](const std::vector<Bar>& slice) { services.catch_up(slice); };
        checkpoints.restore = [&](const LoopStats& stats) {
          const auto& loop = resume->state.at("loop");
          if (stats.timestamps != loop.at("timestamps").get<std::uint64_t>() ||
              stats.bars != loop.at("bars").get<std::uint64_t>())
            throw std::runtime_error(fmt::format(
                "cannot resume: the market data up to the checkpoint has {} timestamps and {} bars, the run had {} "
                "and {}",
                stats.timestamps, stats.bars, loop.at("timestamps").get<std::uint64_t>(),
                loop.at("bars").get<std::uint64_t>()));
          run_log().warn("resumed after {}: each strategy's ctx.state is restored; what a script keeps "
                         "elsewhere (upvalues, globals) starts afresh, and its on_resume(ctx) is called "
                         "(docs/checkpoints.md)",
                         format_timestamp(resume->stored.ts));
          services.restore(resume->state.at("services").dump(), kSavedSuffix);
          record.restore(resume->state.at("record").dump());
        };
        record.store().set_muted(true);  // on_init's events are stored already
      }
      const LoopStats stats = services.run(bars, options.acceleration_factor, options.stop, checkpoints);
      result.summary = services.summarize(stats, record.store());
      services.write_summary(result.summary);
      if (options.validate_events) {
        record.store().flush();
        check_event_contracts(result.results_dir, root + "/contracts");
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
  check_checkpoint_store(prepared, options);
  if (!options.allow_unlocked) check_against_lock(prepared.scripts->libraries_used(), backtest_path);
  bool intraday = false;
  BarMerger bars = open_market_data(prepared, cache_.get(), &intraday, &prepared.bar_sources);
  // One form for every timestamp column, decided before the first row.
  prepared.times = intraday ? TimestampFormat::instants()
                            : TimestampFormat::dates(prepared.exchange.run.zone());
  RunLogging logging(prepared.system.logging, options);
  RunFolder folder = results_dir_for(prepared.system.output, options);
  return execute_run(root_, prepared, bars, folder, logging, options, options_.data_dir, nullptr);
}

RunResult Engine::resume(const std::string& run_dir, const RunOptions& given) {
  const fs::path dir = fs::absolute(run_dir).lexically_normal();
  const ResumePoint point = read_resume_point(dir);
  const CheckpointInputs& recorded = point.inputs;
  RunOptions options = given;
  options.results_dir = dir.string();
  options.params = recorded.params;
  options.start_date = recorded.start_date;
  options.end_date = recorded.end_date;
  options.report = recorded.report;
  options.validate_events = recorded.validate_events;
  options.allow_unlocked = recorded.allow_unlocked;
  options.memory_event_store = false;
  PreparedRun prepared = prepare_run(root_, recorded.system, recorded.backtest, options.params, recorded.data_dir,
                                     {options.start_date, options.end_date});
  check_checkpoint_store(prepared, options);
  if (!options.allow_unlocked) check_against_lock(prepared.scripts->libraries_used(), recorded.backtest);
  check_inputs_unchanged(recorded, checkpoint_inputs(prepared, options, recorded.data_dir));
  bool intraday = false;
  // The compact store continues its bar references from the same cache files.
  BarMerger bars = open_market_data(prepared, cache_.get(), &intraday, &prepared.bar_sources);
  prepared.times = intraday ? TimestampFormat::instants()
                            : TimestampFormat::dates(prepared.exchange.run.zone());
  RunLogging logging(prepared.system.logging, options);
  RunFolder folder{dir.string(), FolderLock(dir.string())};  // refused while the run still runs
  set_aside_result_files(dir);
  RunResult result = execute_run(root_, prepared, bars, folder, logging, options, recorded.data_dir, &point);
  for (const std::string& name : ResultsWriter::streaming_files()) fs::remove(dir / (name + kSavedSuffix));
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
