#include "live/live_session.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "config/live_config.hpp"
#include "engine/prepared_run.hpp"
#include "engine/results_dir.hpp"
#include "engine/run_logging.hpp"
#include "engine/run_services.hpp"
#include "engine/benchmark_series.hpp"
#include "live/bar_assembler.hpp"
#include "live/broker_execution_service.hpp"
#include "live/broker_reconciliation.hpp"
#include "live/broker_registry.hpp"
#include "live/paper_broker.hpp"
#include "live/live_loop.hpp"
#include "live/live_risk.hpp"
#include "live/live_state.hpp"
#include "live/order_recorder.hpp"
#include "live/replay_feed.hpp"
#include "qtrader/data_home.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/results.hpp"
#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"

namespace qtrader::live {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

RunFolder session_folder(const LiveOptions& o, const OutputConfig& output) {
  if (!o.resume_dir.empty()) {
    if (!fs::exists(LiveState::file_in(o.resume_dir)))
      throw std::runtime_error(fmt::format("--resume {}: no live_state.sqlite there (not a live session's folder)",
                                           o.resume_dir));
    return claim_run_folder(o.resume_dir);
  }
  return make_results_dir(o.output_dir.empty() ? output.default_results_dir : o.output_dir, output);
}

std::vector<std::string> symbol_names(const SymbolTable& symbols) {
  std::vector<std::string> out;
  for (SymbolId s = 0; s < symbols.size(); ++s) out.push_back(symbols.name(s));
  return out;
}

// The bar length trades are folded into, per symbol: its source's bar_size
// (a daily run's sources without one: a day).
BarAssembler make_assembler(const PreparedRun& run) {
  const SymbolTable& symbols = run.universe.symbols;
  std::vector<Timeframe> timeframes;
  std::vector<TimeZone> zones;
  for (SymbolId s = 0; s < symbols.size(); ++s) {
    const DataSourceConfig& src = *run.universe.source_of[s];
    const Timeframe daily{Timeframe::Unit::Day, 1};
    timeframes.push_back(parse_timeframe(src.bar_size).value_or(
        run.times.form() == TimestampFormat::Form::Dates ? daily : Timeframe{}));
    zones.push_back(s < run.exchange.clocks.size() ? run.exchange.clocks[s].zone() : run.exchange.run.zone());
  }
  return BarAssembler(symbols, std::move(timeframes), std::move(zones));
}

// Everything one session holds while it runs, in the order it is built.
class Session {
 public:
  Session(const LiveOptions& o, const LiveConfig& live, PreparedRun& run, EventBus& bus, RunServices& services,
          LiveState& state, const std::string& key, std::unique_ptr<Broker> external)
      : o_(o), live_(live), run_(run), bus_(bus), services_(services), state_(state),
        recorder_(bus, state, key, run.universe.symbols, live.broker_kind == "paper"),
        guard_(bus, live.risk, services.portfolio(), run.universe.symbols, run.exchange.run.zone(),
               [this](Timestamp ts, const std::string& type, const std::string& text) {
                 state_.record_event(ts, type, text);
               },
               [this](Timestamp ts) { cancel_working(ts, "kill switch"); }) {
    services.risk().set_order_gate([this](const OrderEvent& order) { return guard_.check(order); });
    if (live.broker_kind == "paper_venue") {
      auto paper = std::make_unique<PaperBroker>(session_dir(), run.system.execution, run.system.portfolio,
                                                 run.backtest.initial_equity, run.universe.symbols,
                                                 run.exchange.clocks);
      paper_venue_ = paper.get();
      broker_ = std::move(paper);
    } else if (external) {  // broker.kind fix, made by the command (docs/fix.md)
      broker_ = std::move(external);
    } else if (live.broker_kind != "paper") {
      broker_ = (*find_broker(live.broker_kind))(
          BrokerContext{live, session_dir(), symbol_names(run.universe.symbols)});
    }
    if (broker_) {
      adapter_ = std::make_unique<BrokerExecutionService>(bus, *broker_, state, key, run.universe.symbols,
                                                          services.portfolio());
    }
  }

  LoopStats run(MarketFeed& feed) {
    if (adapter_) adapter_->begin_replay();
    LoopStats stats = catch_up();
    std::vector<std::string> mismatches;
    if (stats.timestamps) mismatches = reconcile(stats.last);
    if (adapter_) {
      // The reports applied after the last committed timestamp, then the
      // broker itself: what it says of the orders the engine believes
      // working, its state against the rebuilt book, then its news.
      adapter_->replay_after(stats.last);
      adapter_->end_replay();
      broker_->start();
      state_.begin();
      adapter_->send_deferred();
      const auto more = reconcile_with_broker(*broker_, *adapter_, services_.portfolio(), run_.universe.symbols,
                                              state_, stats.last, stats.timestamps > 0, live_.halt_on_mismatch);
      mismatches.insert(mismatches.end(), more.begin(), more.end());
      if (mismatches.empty() || !live_.halt_on_mismatch) adapter_->pump(stats.last, stats.last);
      if (stats.timestamps) save_account(stats.last);
      state_.commit();
    }
    if (!mismatches.empty() && live_.halt_on_mismatch) {
      if (broker_) broker_->stop();
      std::string list;
      for (const auto& m : mismatches) list += (list.empty() ? "" : "; ") + m;
      throw std::runtime_error(fmt::format("reconciliation with the broker: {} mismatch{} ({}); live.reconcile is "
                                           "halt: no order was sent (set it to adopt_broker to take the broker's "
                                           "positions and orders)",
                                           mismatches.size(), mismatches.size() == 1 ? "" : "es", list));
    }
    // A network feed's bars at or before the journal's last are late: dropped by the assembler.
    if (auto* replay = dynamic_cast<ReplayFeed*>(&feed)) replay->skip_through(stats.last);
    BarAssembler assembler = make_assembler(run_);
    LiveLoopHooks hooks;
    hooks.before_timestamp = [&](const std::vector<Bar>& bars, const std::vector<std::uint8_t>& flags) {
      state_.begin();
      journal_bars_ = bars;
      journal_flags_ = flags;
      // The venue sees the market first: what the bars fill reaches the
      // engine as reports, before the bars themselves.
      if (paper_venue_)
        for (std::size_t k = 0; k < bars.size(); ++k) paper_venue_->on_bar(bars[k], flags[k]);
      if (adapter_) adapter_->pump(bars.front().ts, last_ts_);
    };
    hooks.after_timestamp = [&](Timestamp ts) {
      // The bars are journaled with the timestamp's end, so that a commit
      // made before a broker submit never holds a half-run timestamp's bars.
      for (std::size_t k = 0; k < journal_bars_.size(); ++k)
        state_.journal_bar(journal_bars_[k], journal_flags_[k], run_.universe.symbols.name(journal_bars_[k].symbol));
      last_ts_ = ts;
      ++timestamps_;
      save_account(ts);
      state_.commit();
      stale_ = false;
      if (Clock::now() - last_status_ > std::chrono::milliseconds(250)) status(false);
    };
    hooks.stale = [&](double silent) {
      stale_ = true;
      const std::string text = fmt::format("no market data from the {} feed for {:.1f} s", feed.name(), silent);
      run_log().warn("live: {}", text);
      state_.record_event(last_ts_, "stale_feed", text);
    };
    hooks.idle = [&](double silent) {
      if (adapter_) {
        state_.begin();
        adapter_->pump(last_ts_, last_ts_);
        state_.commit();
      }
      heartbeat(feed, silent);
      if (Clock::now() - last_status_ > std::chrono::milliseconds(250)) status(false);
    };
    feed.start(symbol_names(run_.universe.symbols));
    LiveLoopOptions options;
    options.stale_after_seconds = live_.stale_after_seconds;
    options.stop = o_.stop;
    const LoopStats more = run_live_loop(bus_, feed, assembler, options, hooks);
    feed.stop();
    if (assembler.late_bars())
      state_.record_event(last_ts_, "late_bars", fmt::format("{} late bars dropped", assembler.late_bars()));
    on_stop();
    if (broker_) broker_->stop();
    if (more.timestamps) {
      if (!stats.timestamps) stats.first = more.first;
      stats.last = more.last;
      stats.timestamps += more.timestamps;
      stats.bars += more.bars;
    }
    status(true);
    return stats;
  }

 private:
  // A resumed session first runs its journal again, unpaced, through the same
  // services: deterministic, so each order gets the client order id it had
  // and the paper book, positions and cash come back as they were at the
  // last committed timestamp. Orders on record are not sent again.
  LoopStats catch_up() {
    LoopStats stats;
    const auto journal = state_.journal(symbol_names(run_.universe.symbols));
    if (journal.empty()) return stats;
    run_log().info("live: resuming {} from its journal ({} bars)", state_.path(), journal.size());
    std::vector<Bar> slice;
    std::vector<std::uint8_t> flags;
    const auto flush = [&] {
      if (slice.empty()) return;
      if (adapter_) adapter_->replay_after(stats.timestamps ? stats.last : 0);
      if (stats.timestamps == 0) stats.first = slice.front().ts;
      stats.last = slice.front().ts;
      ++stats.timestamps;
      stats.bars += slice.size();
      state_.begin();
      run_timestamp(bus_, slice, flags);
      state_.commit();
      slice.clear();
      flags.clear();
    };
    for (const JournalBar& j : journal) {
      if (j.bar.symbol == kNoSymbol) continue;  // a symbol no longer in the universe
      if (!slice.empty() && slice.front().ts != j.bar.ts) flush();
      slice.push_back(j.bar);
      flags.push_back(j.flags);
    }
    flush();
    state_.record_event(stats.last, "resume",
                        fmt::format("replayed {} timestamps of the journal; {} orders sent again (must be 0)",
                                    stats.timestamps, adapter_ ? adapter_->unsent_in_replay() : recorder_.sends()));
    last_ts_ = stats.last;
    return stats;
  }

  // After the journal: the book rebuilt from it against the state last
  // committed. The broker is right (docs/live.md "Reconciliation"): a
  // mismatch is logged as a reconciliation event, the strategy is flagged in
  // the log, and the broker's figures stand.
  std::vector<std::string> reconcile(Timestamp ts) {
    std::vector<std::string> mismatches;
    const auto flag = [&](const std::string& text) {
      mismatches.push_back(text);
      run_log().warn("live: reconciliation: {} ({})", text,
                     live_.halt_on_mismatch ? "live.reconcile: halt" : "the broker's figure stands; check the strategy");
      state_.record_event(ts, "reconciliation", text);
    };
    const std::uint64_t unrecorded = adapter_ ? adapter_->unsent_in_replay() : recorder_.sends();
    if (unrecorded > 0)
      flag(fmt::format("{} orders of the replay were not on record: the strategy decided differently", unrecorded));
    const Portfolio& p = services_.portfolio();
    std::map<std::string, double> stored;
    for (const auto& s : state_.positions()) stored[s.symbol] = s.quantity;
    std::map<std::string, double> held;
    for (const auto& s : p.open_positions()) held[run_.universe.symbols.name(s.symbol)] = s.quantity;
    for (const auto& [symbol, q] : held)
      if (stored[symbol] != q) flag(fmt::format("{}: position {} on record, {} at the broker", symbol, stored[symbol], q));
    for (const auto& [symbol, q] : stored)
      if (!held.count(symbol) && q != 0) flag(fmt::format("{}: position {} on record, none at the broker", symbol, q));
    if (const auto cash = state_.cash(); cash && *cash != p.cash())
      flag(fmt::format("cash {:.2f} on record, {:.2f} at the broker", *cash, p.cash()));
    std::size_t open_on_record = state_.open_orders().size();
    if (open_on_record != recorder_.working().size())
      flag(fmt::format("{} working orders on record, {} at the broker", open_on_record, recorder_.working().size()));
    if (mismatches.empty())
      state_.record_event(ts, "reconciliation",
                          fmt::format("state matches the broker: {} positions, {} working orders", held.size(),
                                      recorder_.working().size()));
    return mismatches;
  }

  void heartbeat(const MarketFeed& feed, double silent) {
    const LiveRiskLimits& r = live_.risk;
    // The broker's: disconnected this long (a broker behind the adapter only;
    // the in-process paper broker cannot be).
    if (broker_ && r.broker_silence_seconds > 0) {
      if (broker_->connected()) {
        broker_down_since_.reset();
      } else if (!broker_down_since_) {
        broker_down_since_ = Clock::now();
      } else if (std::chrono::duration<double>(Clock::now() - *broker_down_since_).count() >=
                     r.broker_silence_seconds &&
                 !broker_silent_) {
        broker_silent_ = true;
        const std::string text = fmt::format("heartbeat: the {} broker has been disconnected {} s", broker_->name(),
                                             r.broker_silence_seconds);
        run_log().warn("live: {}", text);
        state_.record_event(last_ts_, "heartbeat", text);
      }
      if (broker_->connected()) broker_silent_ = false;
    }
    if (r.feed_silence_seconds > 0 && silent >= r.feed_silence_seconds && !feed_silent_) {
      feed_silent_ = true;
      const std::string text = fmt::format("heartbeat: the {} feed has been silent {:.1f} s", feed.name(), silent);
      run_log().warn("live: {}", text);
      state_.record_event(last_ts_, "heartbeat", text);
    } else if (silent < r.feed_silence_seconds) {
      feed_silent_ = false;
    }
  }

  void save_account(Timestamp ts) {
    const Portfolio& p = services_.portfolio();
    std::vector<StoredPosition> positions;
    for (const auto& s : p.open_positions())
      positions.push_back({run_.universe.symbols.name(s.symbol), s.quantity, s.avg_price});
    state_.record_account(ts, p.cash(), p.equity(), positions);
  }

  void cancel_working(Timestamp ts, const char* why) {
    const auto working = recorder_.working();  // a copy: the cancels change it
    if (!working.empty()) run_log().info("live: {}: cancelling {} working orders", why, working.size());
    for (const auto& [id, strategy] : working) bus_.publish(CancelRequestEvent{ts, id, strategy});
  }

  // on_stop: cancel (the working orders are cancelled, in one last committed
  // transaction) or keep (they stay on record and at the broker).
  void on_stop() {
    if (recorder_.working().empty()) return;
    if (!live_.cancel_on_stop) {
      run_log().info("live: on_stop keep: {} working orders left at the broker", recorder_.working().size());
      return;
    }
    state_.begin();
    cancel_working(last_ts_, "stop");
    // A venue answers a cancel when it answers: its reports, for a while.
    const auto until = Clock::now() + std::chrono::seconds(5);
    while (adapter_ && !recorder_.working().empty() && Clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      adapter_->pump(last_ts_, last_ts_);
    }
    state_.commit();
  }

  void status(bool done) {
    last_status_ = Clock::now();
    if (!o_.on_status) return;
    LiveStatus s;
    s.sim_time = last_ts_ ? run_.times(last_ts_) : std::string();
    s.timestamps = timestamps_;
    s.orders = recorder_.orders();
    s.fills = recorder_.fills();
    s.working = recorder_.working().size();
    s.equity = services_.portfolio().equity();
    s.feed_stale = stale_;
    s.killed = guard_.killed();
    s.done = done;
    o_.on_status(s);
  }

  const LiveOptions& o_;
  const LiveConfig& live_;
  PreparedRun& run_;
  EventBus& bus_;
  RunServices& services_;
  LiveState& state_;
  OrderRecorder recorder_;
  LiveRiskGuard guard_;
  std::string session_dir() const { return fs::path(state_.path()).parent_path().string(); }
  std::vector<Bar> journal_bars_;                     // the running timestamp's, journaled at its end
  std::vector<std::uint8_t> journal_flags_;
  std::unique_ptr<Broker> broker_;                   // when a Broker executes (not kind paper)
  PaperBroker* paper_venue_ = nullptr;               // broker_, when it is the paper venue
  std::unique_ptr<BrokerExecutionService> adapter_;  // when a Broker executes
  Timestamp last_ts_ = 0;
  std::uint64_t timestamps_ = 0;
  bool stale_ = false, feed_silent_ = false, broker_silent_ = false;
  std::optional<Clock::time_point> broker_down_since_;
  Clock::time_point last_status_{};
};

}  // namespace

RunResult run_live_session(const LiveOptions& o) {
  LiveConfig live = load_live_config(o.backtest_path);
  if (o.paper) live.broker_kind = "paper";
  if (o.speed) live.speed = *o.speed;
  const bool fix_broker = live.broker_kind == "fix" && o.make_fix_broker;
  if (live.broker_kind != "paper" && live.broker_kind != "paper_venue" && !fix_broker && !find_broker(live.broker_kind))
    throw ConfigError(live.broker_where.file.empty() ? o.backtest_path : live.broker_where.file,
                      live.broker_where.line, "live.broker.kind",
                      "the " + live.broker_kind + " broker is not part of this build (docs/live.md); use kind: paper");
  if (live.feed_kind == "fix" && !o.make_fix_feed)
    throw ConfigError(o.backtest_path, 0, "live.feed.kind",
                      "the fix feed is not part of this build (docs/fix.md); use kind: replay");
  // A FIX session's settings are checked before anything is written.
  std::unique_ptr<Broker> external = fix_broker ? o.make_fix_broker(o.backtest_path) : nullptr;
  std::unique_ptr<MarketFeed> fix_feed = live.feed_kind == "fix" ? o.make_fix_feed(o.backtest_path) : nullptr;
  const std::string root = find_data_home();
  const std::string system = o.system_config.empty() ? root + "/config/system.yaml" : o.system_config;
  PreparedRun prepared = prepare_run(root, system, o.backtest_path, {}, o.data_dir);
  bool intraday = false;
  BarMerger bars = open_market_data(prepared, nullptr, &intraday);
  prepared.times = intraday ? TimestampFormat::instants() : TimestampFormat::dates(prepared.exchange.run.zone());

  RunOptions run_options;  // no stop: the live loop stops itself, between timestamps
  run_options.quiet = o.quiet;
  run_options.verbose = o.verbose;
  run_options.color = o.color;
  RunLogging logging(prepared.system.logging, run_options);
  RunResult result;
  const RunFolder folder = session_folder(o, prepared.system.output);
  result.results_dir = folder.path;
  logging.add_file(result.results_dir);
  run_log().info("{} session {} -> {} (feed {} at {}, broker {})", o.paper ? "paper" : "live", o.backtest_path,
                 result.results_dir, live.feed_kind, live.speed > 0 ? fmt::format("{}x", live.speed) : "max speed",
                 live.broker_kind);
  write_benchmark_csv(result.results_dir, prepared.benchmark);
  try {
    LiveState state(result.results_dir);
    const std::string key = state.value("session").value_or(fs::path(result.results_dir).filename().string());
    state.set_value("session", key);
    state.set_value("backtest", fs::absolute(o.backtest_path).string());
    EventBus bus;
    RunRecord record(bus, prepared, result.results_dir, run_options);
    try {
      RunServices services(bus, prepared, result.results_dir, live.broker_kind == "paper");
      record.record_params(prepared);
      Session session(o, live, prepared, bus, services, state, key, std::move(external));
      std::unique_ptr<MarketFeed> feed = std::move(fix_feed);
      if (!feed) feed = std::make_unique<ReplayFeed>(std::move(bars), prepared.universe.symbols, live.speed);
      const LoopStats stats = services.run([&](EventBus&) { return session.run(*feed); });
      result.summary = services.summarize(stats, record.store());
      services.write_summary(result.summary);
      record.complete(stats);
    } catch (const std::exception& e) {
      record.fail(e.what());
      throw;
    }
    if (o.report) {
      try {
        write_report(result.results_dir);
      } catch (const std::exception& e) {
        run_log().warn("report: {}", e.what());
      }
    }
  } catch (const std::exception& e) {
    logging.record_failure(e.what());
    throw;
  }
  return result;
}

}  // namespace qtrader::live
