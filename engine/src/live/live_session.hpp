// One live or paper session (`qtrader live`, `qtrader paper`; docs/live.md):
// the run of a backtest file on the wall clock, its bars from a MarketFeed,
// its results folder written as a backtest's (events.sqlite with its runs
// row, the CSV files, summary.json, report.html) plus live_state.sqlite.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "live/broker.hpp"
#include "live/market_feed.hpp"
#include "qtrader/engine.hpp"

namespace qtrader::live {

// What the status line shows, after each timestamp and about every 250 ms.
struct LiveStatus {
  std::string sim_time;       // the last timestamp run, as the results files write it
  std::uint64_t bars = 0, timestamps = 0, orders = 0, fills = 0;
  std::size_t working = 0;    // working orders
  double equity = 0;
  bool feed_stale = false;
  bool killed = false;        // the kill switch has tripped
  bool done = false;
};

struct LiveOptions {
  std::string backtest_path;   // the backtest file with its `live:` section
  std::string system_config;   // "" : config/system.yaml of the data folder
  std::string data_dir;        // --data
  std::string output_dir;      // --output
  std::string resume_dir;      // --resume: the session folder to go on with
  std::optional<double> speed; // --speed: replaces live.feed.speed (0: max)
  bool paper = false;          // `qtrader paper`: the paper broker whatever live.broker says
  bool quiet = false, verbose = false;
  LogColor color = LogColor::Auto;
  bool report = true;
  const std::atomic<bool>* stop = nullptr;  // an orderly stop, between timestamps
  std::function<void(const LiveStatus&)> on_status;
  // `kind: fix` (engine/src/fix, docs/fix.md), from the file's live.broker /
  // live.feed: set by the command, since qtrader_live does not link QuickFIX.
  std::function<std::unique_ptr<Broker>(const std::string& backtest_path)> make_fix_broker;
  std::function<std::unique_ptr<MarketFeed>(const std::string& backtest_path)> make_fix_feed;
};

RunResult run_live_session(const LiveOptions& options);

}  // namespace qtrader::live
