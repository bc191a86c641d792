// Parameter sweeps: one backtest run for every point of a grid of script
// params, spread over worker processes (docs/sweep.md). The market data is
// read once by the calling process and shared copy-on-write with the forked
// workers; each point runs in a fresh Lua state with its params given as
// RunOptions::params, so a row equals `qtrader run --param ...` of that point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "qtrader/engine.hpp"

namespace qtrader {

// A bad --param flag of a sweep: what() names the flag and the reason.
class SweepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One axis of the grid: a param name (as ParamOverride::name) and its values
// as text, each handed to the run as a YAML scalar.
struct SweepAxis {
  std::string name;
  std::vector<std::string> values;
};

// Parses `NAME=A:B:STEP` (inclusive range; integers, or decimals generated as
// A + i*STEP and printed with the most decimals A or STEP has) or
// `NAME=V1,V2,...`. Throws SweepError naming the flag.
SweepAxis parse_sweep_axis(const std::string& flag);

// The grid is the cartesian product of the axes in order, the last varying fastest.
std::size_t grid_size(const std::vector<SweepAxis>& axes);
std::vector<std::string> grid_values(const std::vector<SweepAxis>& axes, std::size_t point);
std::vector<ParamOverride> grid_overrides(const std::vector<SweepAxis>& axes, std::size_t point);
// One point's run into `dir`: its params, quiet, no report, events in memory,
// over [start_date, end_date] when they are not 0 (RunOptions).
RunOptions point_run_options(const std::vector<SweepAxis>& axes, std::size_t point, const std::string& dir,
                             Timestamp start_date = 0, Timestamp end_date = 0);
// "fast=5,10 slow=20,40": the grid written out, to tell whether two sweeps are the same.
std::string grid_text(const std::vector<SweepAxis>& axes);

// The metrics of every row, in column order. Each is "higher is better" for
// ranking: max_drawdown is the (negative) depth, so the shallowest comes first.
const std::vector<std::string>& sweep_metric_names();

// One point's outcome. Metric texts are exact and deterministic ("{}" of the
// double: shortest round-trip form; empty when undefined).
struct SweepRow {
  std::size_t point = 0;
  std::vector<std::string> values;   // one per axis
  std::string status;                // done | failed
  std::vector<std::string> metrics;  // one per sweep_metric_names(); empty when failed
  std::string error;                 // why it failed
};

// The row of a finished run, from its results folder (compute_metrics).
SweepRow sweep_row_from_results(std::size_t point, std::vector<std::string> values,
                                const std::string& results_dir);
// The CSV header and one CSV line (no newline) of sweep.csv. The only
// formatting of rows: the sweep and the tests comparing with lone runs use it.
std::string sweep_csv_header(const std::vector<SweepAxis>& axes);
std::string format_sweep_row(const SweepRow& row);
// A metric's value for ranking; NaN when empty or failed.
double sweep_metric_value(const SweepRow& row, const std::string& metric);
// The `n` best done rows by `metric`, highest first (ties: lower point first;
// undefined values last).
std::vector<SweepRow> best_sweep_rows(const std::vector<SweepRow>& rows, const std::string& metric,
                                      std::size_t n);

// Which points of the grid a sweep runs: all of them, or `random` points drawn
// without replacement with `seed` (a fixed generator: the same points on every
// machine), then of those the shard_index-th of shard_count slices (every
// shard_count-th point from the shard_index-th), for job arrays whose tasks
// each run a slice into their own folder (docs/cluster.md).
struct SweepSelection {
  std::size_t random = 0;  // 0: every point of the grid
  std::uint64_t seed = 1;
  std::size_t shard_index = 0;
  std::size_t shard_count = 1;
};
// The points, ascending. Throws SweepError for a shard index out of range.
std::vector<std::size_t> selected_points(std::size_t grid_points, const SweepSelection&);
// "all", "random 50 seed 7", "all, shard 2/8": recorded with the sweep.
std::string selection_text(const SweepSelection&);
// The selection without its shard: what the merged shards make together.
std::string whole_selection_text(const SweepSelection&);
// "I/N" with 0 <= I < N; throws SweepError naming the flag.
SweepSelection parse_shard(const std::string& text, SweepSelection base = {});

struct SweepProgress {
  std::size_t total = 0;    // points the sweep runs (the grid, or its selection)
  std::size_t skipped = 0;  // finished by an earlier, interrupted sweep
  std::size_t done = 0;     // finished now (including failed)
  std::size_t failed = 0;
  double elapsed_seconds = 0.0;
};

struct SweepOptions {
  std::string backtest;
  std::vector<SweepAxis> axes;
  EngineOptions engine;  // cache_market_data is forced on
  // The sweep folder; empty: a new dated folder under <default_results_dir>/sweeps.
  // An existing sweep folder is resumed: points it holds are not run again.
  std::string output_dir;
  std::size_t jobs = 1;        // worker processes
  std::size_t max_points = 0;  // stop after this many new points (0: all); for tests
  // MPI (docs/cluster.md "A rank that dies"): seconds without a word from a
  // rank after which rank 0 takes it for dead and runs its points elsewhere;
  // 0: never. Ranks speak at least once a second while they run points.
  double rank_timeout_seconds = 30;
  SweepSelection selection;
  std::string metric = "sharpe";  // shown first in sweep.html
  // When not 0, every point runs over this span instead of the backtest's
  // dates (RunOptions::start_date / end_date); recorded with the sweep.
  Timestamp start_date = 0;
  Timestamp end_date = 0;
  // Called in the calling process after each finished point.
  std::function<void(const SweepRow&, const SweepProgress&)> on_point;
};

struct SweepResult {
  std::string dir;  // the sweep folder
  std::string csv;  // its sweep.csv
  SweepProgress progress;
  bool interrupted = false;     // stopped by SIGINT or SIGTERM
  std::vector<SweepRow> rows;   // every finished point (earlier and now), by point
};

// Runs the sweep. Throws ConfigError/DataError for a bad backtest or an
// undeclared param (before anything runs), SweepError when the folder was
// started with another grid or backtest. A point that fails is a failed row.
SweepResult run_sweep(const SweepOptions& options);

// Merges the folders of shards of one sweep (`--shard I/N`, the same grid,
// backtest and system files) into `output_dir`: sweep.sqlite, sweep.csv and
// points/ as one sweep of the whole would have written them, so a missing
// shard's points can be run with `sweep --resume output_dir`. Throws
// SweepError naming the folder that does not belong, or a shard given twice.
SweepResult merge_sweeps(const std::vector<std::string>& shard_dirs, const std::string& output_dir);

}  // namespace qtrader
