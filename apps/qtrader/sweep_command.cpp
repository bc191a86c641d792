// qtrader sweep BACKTEST.yaml --param NAME=SPEC ...: runs every point of a
// parameter grid on worker processes and prints the best points (docs/sweep.md).
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "qtrader/errors.hpp"
#include "qtrader/sweep.hpp"
#if QTRADER_WITH_MPI
#include "cluster/mpi_sweep.hpp"
#endif
#include "commands.hpp"
#include "mpi_choice.hpp"
#include "exit_status.hpp"

namespace {

struct Args {
  std::string backtest;
  std::vector<std::string> params;
  std::size_t jobs = 0;
  std::string metric = "sharpe";
  std::string output;
  std::string resume;
  std::string system;
  std::string data;
  bool quiet = false;
  std::size_t max_points = 0;
  std::string shard;          // I/N
  std::size_t random = 0;     // points drawn from the grid
  std::uint64_t seed = 1;
  std::vector<std::string> merge_dirs;  // sweep merge
  std::string merge_output;
  bool mpi = false;  // or started by mpirun
  double rank_timeout = 30;  // --mpi: seconds of silence that make a rank dead
};

std::string clock_text(double seconds) {
  const long s = std::lround(seconds);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{}:{:02}", s / 60, s % 60);
}

// One line on a terminal, redrawn; one line per point otherwise.
void report_point(const qtrader::SweepRow& row, const qtrader::SweepProgress& p,
                  const std::vector<qtrader::SweepAxis>& axes, bool tty) {
  const std::size_t todo = p.total - p.skipped;
  if (tty) {
    const int width = 30;
    const int filled = todo ? static_cast<int>(width * p.done / todo) : width;
    const double eta = p.done ? p.elapsed_seconds / p.done * (todo - p.done) : 0.0;
    fmt::print(stderr, "\r\033[K[{}{}] {}/{} points  {} failed  {} elapsed  {} left",
               std::string(filled, '#'), std::string(width - filled, '.'), p.done + p.skipped,
               p.total, p.failed, clock_text(p.elapsed_seconds), clock_text(eta));
    std::fflush(stderr);
    return;
  }
  std::string params;
  for (std::size_t i = 0; i < axes.size(); ++i)
    params += fmt::format("{}{}={}", i ? " " : "", axes[i].name, row.values[i]);
  fmt::print(stderr, "point {} ({}/{}) {}: {}\n", row.point, p.done + p.skipped, p.total, params,
             row.status == "done" ? "done" : "failed: " + row.error.substr(0, row.error.find('\n')));
}

void print_best(const qtrader::SweepResult& result, const std::vector<qtrader::SweepAxis>& axes,
                const std::string& metric) {
  const auto best = qtrader::best_sweep_rows(result.rows, metric, 5);
  if (best.empty()) {
    fmt::print("no point finished without failing\n");
    return;
  }
  fmt::print("best {} of {} points by {}:\n", best.size(), result.rows.size(), metric);
  std::vector<std::string> header{"point"};
  for (const auto& a : axes) header.push_back(a.name);
  for (const auto& m : qtrader::sweep_metric_names()) header.push_back(m);
  std::vector<std::vector<std::string>> table{header};
  for (const auto& row : best) {
    std::vector<std::string> cells{fmt::format("{}", row.point)};
    cells.insert(cells.end(), row.values.begin(), row.values.end());
    for (const auto& m : qtrader::sweep_metric_names()) {
      const double v = qtrader::sweep_metric_value(row, m);
      cells.push_back(std::isnan(v) ? "-" : m == "trades" ? fmt::format("{}", v) : fmt::format("{:.4g}", v));
    }
    table.push_back(std::move(cells));
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& r : table)
    for (std::size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], r[i].size());
  for (const auto& r : table) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) line += fmt::format("{}{:>{}}", i ? "  " : "", r[i], widths[i]);
    fmt::print("{}\n", line);
  }
}

int sweep_command(const Args& args) {
  const auto& metrics = qtrader::sweep_metric_names();
  if (std::find(metrics.begin(), metrics.end(), args.metric) == metrics.end()) {
    std::string known;
    for (const auto& m : metrics) known += (known.empty() ? "" : ", ") + m;
    fmt::print(stderr, "error: --metric {}: not a sweep metric (known: {})\n", args.metric, known);
    return 2;
  }
  if (args.backtest.empty() || args.params.empty()) {
    fmt::print(stderr, "error: sweep needs a backtest file and at least one --param (qtrader sweep --help)\n");
    return 2;
  }
  if (!args.resume.empty() && !std::filesystem::exists(std::filesystem::path(args.resume) / "sweep.sqlite")) {
    fmt::print(stderr, "error: --resume {}: no sweep.sqlite there\n", args.resume);
    return 2;
  }
  try {
    qtrader::SweepOptions options;
    options.backtest = args.backtest;
    for (const auto& p : args.params) options.axes.push_back(qtrader::parse_sweep_axis(p));
    options.engine.system_config = args.system;
    options.engine.data_dir = args.data;
    options.output_dir = args.resume.empty() ? args.output : args.resume;
    options.jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
    options.max_points = args.max_points;
    options.metric = args.metric;
    options.selection.random = args.random;
    options.selection.seed = args.seed;
    if (!args.shard.empty()) options.selection = qtrader::parse_shard(args.shard, options.selection);
    const bool tty = ::isatty(STDERR_FILENO);
    if (!args.quiet)
      options.on_point = [&](const qtrader::SweepRow& row, const qtrader::SweepProgress& p) {
        report_point(row, p, options.axes, tty);
      };
    const auto mpi = qtrader::cli::mpi_choice(args.mpi);
    if (!mpi) return 2;
    qtrader::SweepResult result;
    if (*mpi) {
#if QTRADER_WITH_MPI
      // One worker per rank unless --jobs says otherwise: the ranks are the parallelism.
      options.jobs = args.jobs ? args.jobs : 1;
      options.rank_timeout_seconds = args.rank_timeout;
      auto outcome = qtrader::run_mpi_sweep(options);
      if (outcome.rank != 0) return outcome.interrupted ? 130 : 0;  // rank 0 reports
      result = std::move(outcome.result);
#endif
    } else {
      result = qtrader::run_sweep(options);
    }
    if (!args.quiet) {
      if (tty && result.progress.done) fmt::print(stderr, "\n");
      fmt::print(stderr, "{} points: {} run now ({} failed), {} from an earlier run{}\n",
                 result.progress.total, result.progress.done, result.progress.failed,
                 result.progress.skipped,
                 result.rows.size() < result.progress.total
                     ? fmt::format("; {} not run yet: run the same command again to resume",
                                   result.progress.total - result.rows.size())
                     : "");
    }
    print_best(result, options.axes, args.metric);
    fmt::print("{}\n", result.csv);
    return result.interrupted ? 130 : 0;
  } catch (...) {
    return qtrader::cli::report_failure(std::current_exception());
  }
}

int merge_command(const Args& args) {
  try {
    const auto result = qtrader::merge_sweeps(args.merge_dirs, args.merge_output);
    fmt::print(stderr, "{} shards merged: {} of {} points{}\n", args.merge_dirs.size(), result.rows.size(),
               result.progress.total,
               result.rows.size() < result.progress.total
                   ? fmt::format("; {} missing: `qtrader sweep BACKTEST --param ... --resume {}` runs them",
                                 result.progress.total - result.rows.size(), result.dir)
                   : "");
    fmt::print("{}\n", result.csv);
    return 0;
  } catch (...) {
    return qtrader::cli::report_failure(std::current_exception());
  }
}

}  // namespace

namespace qtrader::cli {

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<Args>();
  auto* sweep = app.add_subcommand(
      "sweep", "Run a backtest for every point of a parameter grid, on several processes");
  // Not ->required(): `sweep merge` takes neither; sweep_command checks them.
  sweep->add_option("backtest", args->backtest, "Backtest file (YAML)")->check(CLI::ExistingFile);
  sweep->add_option("--param", args->params,
                    "A grid axis, repeatable: NAME=A:B:STEP (inclusive range) or NAME=V1,V2,...; "
                    "NAME is PARAM, STRATEGY_ID.PARAM or risk.PARAM")
      ->allow_extra_args(false);
  sweep->add_option("-j,--jobs", args->jobs, "Worker processes (default: one per core)")
      ->check(CLI::PositiveNumber);
  sweep->add_option("--metric", args->metric,
                    "Metric that ranks the points, highest first (default sharpe; max_drawdown: "
                    "shallowest first)");
  auto* output = sweep->add_option(
      "--output", args->output,
      "Sweep folder (default: a new folder under <default_results_dir>/sweeps); an existing "
      "sweep there is resumed");
  sweep->add_option("--resume", args->resume, "Resume the sweep in this folder")
      ->check(CLI::ExistingDirectory)
      ->excludes(output);
  sweep->add_option("--system", args->system,
                    "System configuration (default: config/system.yaml of the qtrader tree)")
      ->check(CLI::ExistingFile);
  sweep->add_option("--data", args->data,
                    "A folder of SYMBOL.csv files every data source of the backtest reads instead "
                  "(layout from the files' header; docs/data.md)")
      ->check(CLI::ExistingDirectory);
  sweep->add_flag("-q,--quiet", args->quiet, "No progress on stderr");
  sweep->add_flag("--mpi", args->mpi,
                  "Run on the ranks of `mpirun -n N` (implied when mpirun started more than one): rank 0 "
                  "hands out the points, the others run them on --jobs workers each (default 1) "
                  "(docs/cluster.md)");
  sweep->add_option("--rank-timeout", args->rank_timeout,
                    "With --mpi: seconds without a word after which a rank is taken for dead and its points "
                    "run elsewhere (default 30; 0: never). Needs mpirun --mca orte_enable_recovery 1 "
                    "(docs/cluster.md)")
      ->check(CLI::NonNegativeNumber);
  sweep->add_option("--shard", args->shard,
                    "Run only slice I of N of the points (every Nth from the Ith, 0 <= I < N), e.g. "
                    "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT; merge the folders with `sweep merge` "
                    "(docs/cluster.md)");
  sweep->add_option("--random", args->random,
                    "Run K points drawn at random from the grid (without replacement) instead of all")
      ->check(CLI::PositiveNumber);
  sweep->add_option("--seed", args->seed, "Seed of --random (default 1): the same points on every machine");
  auto* merge = sweep->add_subcommand(
      "merge", "Merge the folders of a sweep's shards (--shard I/N) into one sweep folder");
  merge->add_option("dirs", args->merge_dirs, "Shard folders")->required()->check(CLI::ExistingDirectory);
  merge->add_option("--output", args->merge_output, "The merged sweep folder")->required();
  merge->callback([args, &exit_code] { exit_code = merge_command(*args); });
  // For tests: stop after this many new points, as an interrupted sweep would.
  sweep->add_option("--max-points", args->max_points)->group("");
  sweep->callback([args, sweep, &exit_code] {
    if (sweep->got_subcommand("merge")) return;
    exit_code = sweep_command(*args);
  });
}

}  // namespace qtrader::cli
