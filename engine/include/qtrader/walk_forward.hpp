// Walk-forward optimisation (docs/walk-forward.md): for each window, sweep
// the grid over the training span, pick the best point by a metric, run it
// over the test span that follows; the test spans' results, stitched, are
// the strategy's out-of-sample record.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "qtrader/sweep.hpp"

namespace qtrader {

// A calendar length: "3y", "18m", "2w", "90d".
struct CalendarSpan {
  int count = 0;
  char unit = 'd';  // y m w d
};
// Throws SweepError naming `flag` for anything else.
CalendarSpan parse_calendar_span(const std::string& text, const std::string& flag);
// The day `span` x `times` after `day` (UTC midnight); a month end clamps
// (Jan 31 + 1m = Feb 28/29).
Timestamp add_span(Timestamp day, CalendarSpan span, int times = 1);

struct WalkForwardOptions {
  std::string backtest;
  std::vector<SweepAxis> axes;
  EngineOptions engine;
  std::string output_dir;  // empty: a new dated folder under <default_results_dir>/walkforward
  std::size_t jobs = 1;
  double rank_timeout_seconds = 30;  // MPI: as SweepOptions::rank_timeout_seconds
  CalendarSpan train, test;
  CalendarSpan step;       // count 0: the test span (test spans then meet end to start)
  bool anchored = false;   // every training span starts at the backtest's start_date
  std::string metric = "sharpe";
  // Called after each window's test run.
  std::function<void(std::size_t window, std::size_t windows)> on_window;
  // Runs each window's training sweep; empty: run_sweep (local workers). The
  // MPI walk-forward (engine/src/cluster) runs them on the ranks of a job.
  std::function<SweepResult(const SweepOptions&)> run_training_sweep;
};

struct WalkForwardWindow {
  Timestamp train_start = 0, train_end = 0, test_start = 0, test_end = 0;  // inclusive days
  std::size_t point = 0;            // the best training point
  std::vector<std::string> values;  // its params
  std::string in_sample;            // its metric over the training span
  std::string out_of_sample;        // the same params' metric over the test span
};

struct WalkForwardResult {
  std::string dir;
  std::vector<WalkForwardWindow> windows;
};

// The windows of a backtest from start to end (inclusive days): only the
// spans, nothing run. Throws SweepError when no window fits or test spans
// would overlap (a step shorter than the test span).
std::vector<WalkForwardWindow> walk_forward_windows(Timestamp start, Timestamp end, const WalkForwardOptions&);

// Runs every window into <dir>/windows/NN/{train,test}, then writes
// walkforward.csv (the windows), the stitched equity.csv, trades.csv and
// fills.csv of the test spans, metrics.json and report.html.
WalkForwardResult run_walk_forward(const WalkForwardOptions& options);

}  // namespace qtrader
