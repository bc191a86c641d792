#include "engine/run_services.hpp"

#include "base/wall_clock.hpp"

#include "qtrader/bar_consolidator.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qtrader/errors.hpp"
#include "qtrader/hash.hpp"
#include "qtrader/lua/call_monitor.hpp"
#include "qtrader/process_identity.hpp"
#include "qtrader/time.hpp"
#include "results/run_params_json.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> strategy_ids_of(const BacktestConfig& bt) {
  std::vector<std::string> ids;
  for (const auto& s : bt.strategies) ids.push_back(s.strategy_id);
  return ids;
}

std::vector<SymbolId> handles(const SymbolTable& symbols, const std::vector<std::string>& names) {
  std::vector<SymbolId> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(symbols.find(n));
  return out;
}

// "NAME=VALUE" per --param override, as given.
std::vector<std::string> override_texts(const PreparedRun& run) {
  std::vector<std::string> out;
  for (const auto& o : run.overrides) out.push_back(o.name + "=" + o.value);
  return out;
}

std::string libraries_json(const std::vector<LibraryUse>& libraries) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& l : libraries)
    j.push_back({{"name", l.name}, {"version", l.version}, {"hash", l.hash}, {"path", l.path}, {"source", l.source}});
  return j.dump();
}

std::string scripts_json(const std::vector<ScriptUse>& scripts) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& s : scripts) j.push_back({{"name", s.name}, {"kind", s.kind}, {"path", s.path}, {"hash", s.hash}});
  return j.dump();
}

// One hash over the three configuration files that define a run.
std::string config_hash(const PreparedRun& run) {
  return hash_hex(fnv1a64(file_hash_hex(run.backtest_path) + file_hash_hex(run.system_path) +
                          file_hash_hex(run.system.data.sources_config)));
}

// What `qtrader replay` needs besides the events (replay.hpp).
std::string settings_json(const PreparedRun& run) {
  nlohmann::ordered_json symbols = nlohmann::ordered_json::array();
  for (SymbolId s = 0; s < run.universe.symbols.size(); ++s) symbols.push_back(run.universe.symbols.name(s));
  nlohmann::ordered_json strategies = nlohmann::ordered_json::array();
  for (const auto& spec : run.backtest.strategies) strategies.push_back(spec.strategy_id);
  const PortfolioConfig& p = run.system.portfolio;
  nlohmann::ordered_json settings{{"symbols", symbols},
                                {"strategies", strategies},
                                {"lot_matching", name_of(p.lot_matching)},
                                {"allow_short", p.allow_short},
                                {"borrow_fee_rate", p.borrow_fee_rate},
                                {"max_gross_leverage", p.max_gross_leverage},
                                {"fractional_quantities", p.fractional_quantities},
                                {"zone", run.exchange.run.zone().name()},
                                {"time_format", run.times.name()}};
  // Futures only (a run without keeps its settings as before): what the
  // portfolio needs of the contract terms, by symbol.
  const FuturesTerms& f = run.futures.terms;
  if (f.any()) {
    nlohmann::ordered_json futures = nlohmann::ordered_json::array();
    for (SymbolId s = 0; s < f.by_symbol.size(); ++s) {
      if (!f.is_future(s)) continue;
      nlohmann::ordered_json contracts = nlohmann::ordered_json::array();
      for (const SymbolId c : f.contracts[s]) contracts.push_back(run.universe.symbols.name(c));
      futures.push_back({{"symbol", run.universe.symbols.name(s)}, {"multiplier", f.by_symbol[s].multiplier},
                         {"continuous", f.is_continuous(s)}, {"contracts", contracts}});
    }
    settings["futures"] = futures;
  }
  return settings.dump();
}

std::unique_ptr<EventStore> open_store(EventBus& bus, const PreparedRun& run,
                                       const std::string& results_dir, const RunOptions& options,
                                       const std::vector<std::string>& strategy_ids) {
  EventStoreConfig config = run.system.output.event_store;
  if (options.memory_event_store) config.backend = EventStoreBackend::Memory;
  auto store = EventStore::open(config, results_dir, bus, run.universe.symbols, strategy_ids, run.times);
  store->reference_bars(run.bar_sources);
  // A supervised run belongs to the `qtrader run` process the user started,
  // its supervisor: once that is gone, `qtrader runs` says died at once,
  // though the child dies of PR_SET_PDEATHSIG a moment later.
  const ProcessIdentity self = attached_call_publisher() ? parent_process() : this_process();
  store->begin_run({fs::path(results_dir).filename().string(), fs::absolute(run.backtest_path).string(),
                    config_hash(run), scripts_json(run.scripts->scripts_used()), wall_clock_iso(WallClockZone::Local),
                    libraries_json(run.scripts->libraries_used()), self.pid, self.start});
  return store;
}

}  // namespace

// ---- the record ------------------------------------------------------------------

RunRecord::RunRecord(EventBus& bus, const PreparedRun& run, const std::string& results_dir,
                     const RunOptions& options)
    : strategy_ids_(strategy_ids_of(run.backtest)),
      store_(open_store(bus, run, results_dir, options, strategy_ids_)),
      monitor_(bus, *store_, run.backtest.end_date, options.on_progress, options.stop) {}

void RunRecord::record_params(const PreparedRun& run) {
  store_->record_params(run_params_json(run.scripts->params_used(), override_texts(run)));
  store_->record_settings(settings_json(run));
}

void RunRecord::complete(const LoopStats& stats) {
  monitor_.finish();
  if (stats.timestamps) store_->update_run(100.0, stats.last, stats.bars);
  store_->finish_run(EventStore::RunEnd::Completed, {}, wall_clock_iso(WallClockZone::Local));
}

// How far a run that stopped early got, not the last throttled update's figure.
void RunRecord::fail(const std::string& message) {
  monitor_.finish();
  monitor_.record_progress();
  store_->finish_run(EventStore::RunEnd::Failed, message, wall_clock_iso(WallClockZone::Local));
}

void RunRecord::interrupt(const std::string& message) {
  monitor_.finish();
  monitor_.record_progress();
  store_->finish_run(EventStore::RunEnd::Interrupted, message, wall_clock_iso(WallClockZone::Local));
}

// ---- the services ----------------------------------------------------------------

RunServices::RunServices(EventBus& bus, PreparedRun& run, const std::string& results_dir,
                         bool simulated_execution)
    : bus_(bus), run_(run), strategy_ids_(strategy_ids_of(run.backtest)),
      writer_(results_dir, bus, run.universe.symbols, strategy_ids_, run.times,
              run.exchange.run.zone(), run.futures.terms.any()),
      coverage_(bus, run.universe.symbols),
      actions_(load_corporate_actions(run.universe.symbols, run.universe.source_of)),
      action_feed_(bus, actions_, run.universe.symbols.size()),
      signals_(run.backtest.signals, run.universe.symbols, &bus),
      portfolio_(bus, run.backtest.initial_equity, run.universe.symbols.size(), run.system.portfolio,
                 &actions_, run.exchange.run.zone(), &run.futures.terms),
      commission_(run.system.execution.commission),
      execution_(simulated_execution
                     ? std::make_unique<ExecutionService>(bus, run.system.execution, run.system.portfolio, portfolio_,
                                                          run.universe.symbols.size(), &actions_, run.exchange.clocks)
                     : nullptr),
      strategies_(bus, portfolio_, run.universe.symbols, run.backtest.warmup_bars,
                  StrategyExchanges{run.exchange.clocks, run.exchange.run}),
      risk_(bus, portfolio_, commission_, run.universe.symbols, strategy_ids_,
            &strategies_.history()) {
  const SymbolTable& symbols = run.universe.symbols;
  // Consolidated bars align to the symbol's exchange day (1d, 1w) and its
  // wall clock, and know the source's bar length.
  for (SymbolId s = 0; s < symbols.size(); ++s) {
    const DataSourceConfig& src = *run.universe.source_of[s];
    TimeZone zone = s < run.exchange.clocks.size()
                        ? run.exchange.clocks[s].zone()
                        : TimeZone::find(src.exchange_timezone).value_or(TimeZone::utc());
    // A daily run's source without bar_size still has a known length: finer
    // timeframes of it are refused rather than built of whole days.
    const Timeframe known = run.times.form() == TimestampFormat::Form::Dates ? Timeframe{Timeframe::Unit::Day, 1}
                                                                              : Timeframe{};
    strategies_.set_source(s, std::move(zone), parse_timeframe(src.bar_size).value_or(Timeframe{}), known);
  }
  for (std::size_t i = 0; i < run.backtest.strategies.size(); ++i)
    check_timeframe(run.backtest.strategies[i], i, symbols);
  for (const auto& spec : run.backtest.strategies) {
    auto& ctx = strategies_.add(spec.strategy_id, handles(symbols, spec.universe),
                                spec.warmup_bars, parse_timeframe(spec.timeframe).value_or(Timeframe{}));
    ctx.set_whole_shares(!run.system.portfolio.fractional_quantities);
    if (!signals_.empty()) ctx.set_signals(&signals_);
    strategies_.set_runtime(static_cast<StrategyIndex>(strategies_.size() - 1),
                            run.scripts->load_strategy(spec, ctx));
  }
  writer_.use_futures(run.futures.terms);
  if (execution_) execution_->use_futures(run.futures.terms, run.backtest.strategies.size());
  if (execution_ && run.backtest.stale_policy == StalePolicy::Close)
    execution_->close_at_end_of_data(run.backtest.strategies.size());
  policy_ = run.scripts->load_risk_policy(run.backtest.risk_policy, risk_);
  risk_.set_policy(policy_.get());
  const std::vector<bool> tick_symbols = strategies_.route_ticks();
  if (std::find(tick_symbols.begin(), tick_symbols.end(), true) != tick_symbols.end()) {
    ticks_ = std::make_unique<TickFeed>(run, tick_symbols);
    if (ticks_->empty()) ticks_.reset();
  }
}

// A strategy's `timeframe` finer than a symbol's bars: the backtest's error.
void RunServices::check_timeframe(const StrategySpec& spec, std::size_t i, const SymbolTable& symbols) const {
  const auto tf = parse_timeframe(spec.timeframe);
  if (!tf) return;
  for (const auto& name : spec.universe) {
    const SymbolId s = symbols.find(name);
    if (s == kNoSymbol) continue;
    if (const std::string why = strategies_.streams().too_fine(s, *tf); !why.empty()) {
      const SourceLocation& w = spec.timeframe_where.file.empty() ? spec.where : spec.timeframe_where;
      throw ConfigError(w.file.empty() ? run_.backtest.path : w.file, w.line,
                        "strategies[" + std::to_string(i) + "].timeframe", fmt::format("{} (symbol {})", why, name));
    }
  }
}

LoopStats RunServices::run(BarMerger& bars, double acceleration_factor, const std::atomic<bool>* stop,
                           const LoopCheckpoints& checkpoints) {
  const BacktestConfig& bt = run_.backtest;
  return run(
      [&](EventBus& bus) {
        return run_backtest_loop(bus, bars, LoopPacing{bt.replay_speed, acceleration_factor, stop}, checkpoints,
                                 ticks_.get());
      },
      checkpoints.resume_after.has_value());
}

LoopStats RunServices::run(const std::function<LoopStats(EventBus&)>& loop, bool resuming) {
  const BacktestConfig& bt = run_.backtest;
  if (!resuming) bus_.publish(BacktestStartEvent{bt.start_date, bt.end_date, bt.initial_equity});
  strategies_.init_all();
  for (std::size_t i = 0; i < strategies_.size(); ++i)
    if (const std::string& why = strategies_.refused_subscription(static_cast<StrategyIndex>(i)); !why.empty()) {
      const SourceLocation& w = bt.strategies[i].where;
      throw ConfigError(w.file.empty() ? bt.path : w.file, w.line, "strategies[" + std::to_string(i) + "]", why);
    }
  const LoopStats stats = loop(bus_);
  if (stats.timestamps) coverage_.warn(stats.first, stats.last, bt.stale_policy);
  strategies_.stop_all();
  bus_.publish(BacktestEndEvent{stats.last, stats.bars});
  writer_.close();
  writer_.write_trades(portfolio_.closed_trades());
  return stats;
}

RunSummary RunServices::summarize(const LoopStats& stats, const EventStore& store) const {
  const BacktestConfig& bt = run_.backtest;
  RunSummary s;
  s.bars_processed = stats.bars;
  s.timestamps = stats.timestamps;
  s.signals = store.count(EventType::Signal);
  s.orders = store.count(EventType::Order);
  s.rejections = store.count(EventType::OrderRejected);
  s.fills = store.count(EventType::Fill);
  s.events = store.total();
  s.initial_equity = bt.initial_equity;
  s.final_cash = portfolio_.cash();
  s.final_equity = portfolio_.equity();
  s.realized_pnl = portfolio_.realized_pnl();
  s.commissions = portfolio_.commissions();
  s.trades = portfolio_.closed_trades().size();
  if (run_.times.form() == TimestampFormat::Form::Instants || !run_.exchange.run.zone().is_utc()) {
    s.time_format = run_.times.name();
    s.exchange_timezone = run_.exchange.run.zone().name();
  }
  s.start_date = format_date(bt.start_date);
  s.end_date = format_date(bt.end_date);
  if (stats.timestamps) {
    s.first_bar = run_.times(stats.first);
    s.last_bar = run_.times(stats.last);
  }
  for (const auto& p : portfolio_.open_positions())
    s.open_positions.push_back({run_.universe.symbols.name(p.symbol), p.quantity, p.avg_price, p.last_price});
  s.scripts = run_.scripts->scripts_used();
  s.libraries = run_.scripts->libraries_used();
  s.params = run_.scripts->params_used();
  s.overrides = override_texts(run_);
  if (stats.timestamps) s.partial_coverage = coverage_.partial(stats.first, stats.last);
  s.stale_policy = name_of(bt.stale_policy);
  for (const auto& src : signals_.sources())
    s.signal_sources.push_back({src.name, src.file, src.version, src.hash, src.rows});
  return s;
}

}  // namespace qtrader
