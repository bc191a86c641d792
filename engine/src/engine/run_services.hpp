// The services of one run, wired to one bus. The members are declared in
// the order they subscribe, and subscription order is handling order: the
// event store, the run monitor and the results files record each event
// before the portfolio, execution, the strategies and the risk service react
// to it (docs/architecture.md). Nothing else in the engine subscribes (the
// coverage watch only reads the bars).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "data/corporate_actions.hpp"
#include "engine/corporate_action_feed.hpp"
#include "engine/backtest_loop.hpp"
#include "engine/prepared_run.hpp"
#include "engine/run_monitor.hpp"
#include "engine/symbol_coverage.hpp"
#include "engine/tick_feed.hpp"
#include "execution/execution_service.hpp"
#include "portfolio/portfolio.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/event_bus.hpp"
#include "results/results_writer.hpp"
#include "risk/risk_service.hpp"
#include "signals/signal_book.hpp"
#include "store/event_store.hpp"
#include "strategy/strategy_service.hpp"

namespace qtrader {

// The run's record: events.sqlite (or the memory store) with its `runs` row,
// and the monitor that keeps that row current. Opened before the services so
// that a run failing while its scripts load is recorded as failed.
class RunRecord {
 public:
  RunRecord(EventBus& bus, const PreparedRun& run, const std::string& results_dir,
            const RunOptions& options);
  EventStore& store() noexcept { return *store_; }
  // The resolved params into the runs table, once RunServices has loaded the scripts.
  void record_params(const PreparedRun& run);
  void complete(const LoopStats& stats);
  void fail(const std::string& message);
  void interrupt(const std::string& message);  // stopped by RunOptions::stop

  // Checkpoints (docs/checkpoints.md): the store's and the monitor's parts as
  // a JSON object; restore() takes them back (the store drops what followed
  // the checkpoint) and unmutes the store.
  std::string snapshot() const;
  void restore(std::string_view json);

 private:
  std::vector<std::string> strategy_ids_;  // the store keeps a reference
  std::unique_ptr<EventStore> store_;
  RunMonitor monitor_;
};

class RunServices {
 public:
  // `simulated_execution` false: no ExecutionService; a broker adapter
  // (engine/src/live/broker_execution_service.hpp) takes the orders.
  RunServices(EventBus& bus, PreparedRun& run, const std::string& results_dir, bool simulated_execution = true);

  // on_init, the loop, on_stop, and the end of the results files.
  // acceleration_factor and stop: RunOptions'.
  LoopStats run(BarMerger& bars, double acceleration_factor = 0, const std::atomic<bool>* stop = nullptr,
                const LoopCheckpoints& checkpoints = {});
  // The same around another loop (the live loop, engine/src/live): on_init,
  // `loop`, on_stop, the end of the results files.
  // `resuming`: a run continued from a checkpoint, whose BacktestStartEvent
  // is already stored: on_init runs again, nothing is announced.
  LoopStats run(const std::function<LoopStats(EventBus&)>& loop, bool resuming = false);
  RunSummary summarize(const LoopStats& stats, const EventStore& store) const;
  void write_summary(const RunSummary& summary) { writer_.write_summary(summary); }

  // Checkpoints (docs/checkpoints.md; run_checkpoint.cpp): each service's
  // snapshot, one JSON object; taken between timestamps.
  std::string snapshot();
  // A resumed run, once catch_up() has seen every slice up to the checkpoint:
  // each service takes its part back, the strategies and then the risk
  // service last (their scripts' on_resume sees everything else restored). `saved_suffix`: where the
  // killed run's result files were set aside (ResultsWriter::restore).
  void restore(std::string_view json, const std::string& saved_suffix);
  // A slice before the checkpoint: only what is a function of the bars alone
  // and not in a snapshot (the indicators, the consolidated streams, the
  // model signals' embargo windows) advances.
  void catch_up(const std::vector<Bar>& slice);
  // A resumed run, before run(): with the checkpoint's services part.
  void prepare_resume(std::string_view json);
  // What the live session persists and reconciles (engine/src/live).
  const Portfolio& portfolio() const noexcept { return portfolio_; }
  ExecutionService* execution() noexcept { return execution_.get(); }  // nullptr when a broker executes
  RiskService& risk() noexcept { return risk_; }

 private:
  void check_timeframe(const StrategySpec& spec, std::size_t index, const SymbolTable& symbols) const;

  EventBus& bus_;
  PreparedRun& run_;
  std::vector<std::string> strategy_ids_;
  ResultsWriter writer_;
  SymbolCoverage coverage_;  // only watches the bars
  CorporateActions actions_;
  CorporateActionFeed action_feed_;  // before the portfolio: announces, then it applies
  SignalBook signals_;  // before execution: on_fill sees its bar's embargo windows
  Portfolio portfolio_;
  CommissionModel commission_;  // what the risk service sizes with (execution keeps its own)
  std::unique_ptr<ExecutionService> execution_;  // none when a broker executes
  StrategyService strategies_;
  RiskService risk_;
  std::unique_ptr<RiskPolicy> policy_;  // its script binds risk_
  std::unique_ptr<TickFeed> ticks_;  // none unless a strategy takes ticks of a tick source
};

}  // namespace qtrader
