// qtrader walkforward BACKTEST.yaml --param ... --train 3y --test 1y:
// walk-forward optimisation (docs/walk-forward.md).
#include <cmath>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "qtrader/time.hpp"
#include "qtrader/walk_forward.hpp"
#if QTRADER_WITH_MPI
#include "cluster/mpi_sweep.hpp"
#endif
#include "commands.hpp"
#include "mpi_choice.hpp"
#include "exit_status.hpp"

namespace {

struct Args {
  std::string backtest, system, data, output, train, test, step, metric = "sharpe";
  std::vector<std::string> params;
  std::size_t jobs = 0;
  bool anchored = false, quiet = false;
  bool mpi = false;  // or started by mpirun
  double rank_timeout = 30;  // --mpi: seconds of silence that make a rank dead
};

double mean_of(const std::vector<qtrader::WalkForwardWindow>& windows, bool in_sample) {
  double sum = 0.0;
  int n = 0;
  for (const auto& w : windows) {
    const std::string& text = in_sample ? w.in_sample : w.out_of_sample;
    if (text.empty()) continue;
    sum += std::strtod(text.c_str(), nullptr);
    ++n;
  }
  return n ? sum / n : std::nan("");
}

int walkforward_command(const Args& args) {
  try {
    qtrader::WalkForwardOptions o;
    o.backtest = args.backtest;
    for (const auto& p : args.params) o.axes.push_back(qtrader::parse_sweep_axis(p));
    o.engine.system_config = args.system;
    o.engine.data_dir = args.data;
    o.output_dir = args.output;
    o.jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
    o.train = qtrader::parse_calendar_span(args.train, "--train");
    o.test = qtrader::parse_calendar_span(args.test, "--test");
    if (!args.step.empty()) o.step = qtrader::parse_calendar_span(args.step, "--step");
    o.anchored = args.anchored;
    o.metric = args.metric;
    if (!args.quiet)
      o.on_window = [](std::size_t k, std::size_t n) { fmt::print(stderr, "window {}/{} done\n", k + 1, n); };
    const auto mpi = qtrader::cli::mpi_choice(args.mpi);
    if (!mpi) return 2;
    qtrader::WalkForwardResult result;
    if (*mpi) {
#if QTRADER_WITH_MPI
      o.jobs = args.jobs ? args.jobs : 1;  // per rank: the ranks are the parallelism
      o.rank_timeout_seconds = args.rank_timeout;
      auto outcome = qtrader::run_mpi_walk_forward(o);
      if (outcome.rank != 0) return outcome.interrupted ? 130 : 0;  // rank 0 reports
      result = std::move(outcome.result);
#endif
    } else {
      result = qtrader::run_walk_forward(o);
    }
    fmt::print("{:>6}  {:<23}  {:<23}  {:<20}  {:>10}  {:>10}\n", "window", "train", "test", "params",
               "in-sample", "out-of-sample");
    for (std::size_t k = 0; k < result.windows.size(); ++k) {
      const auto& w = result.windows[k];
      std::string params;
      for (std::size_t i = 0; i < w.values.size(); ++i)
        params += fmt::format("{}{}={}", i ? " " : "", o.axes[i].name, w.values[i]);
      fmt::print("{:>6}  {} {}  {} {}  {:<20}  {:>10}  {:>10}\n", k, qtrader::format_date(w.train_start),
                 qtrader::format_date(w.train_end), qtrader::format_date(w.test_start),
                 qtrader::format_date(w.test_end), params,
                 w.in_sample.empty() ? "-" : fmt::format("{:.4g}", std::strtod(w.in_sample.c_str(), nullptr)),
                 w.out_of_sample.empty() ? "-"
                                         : fmt::format("{:.4g}", std::strtod(w.out_of_sample.c_str(), nullptr)));
    }
    fmt::print("mean {}: in-sample {:.4g}, out-of-sample {:.4g}\n", args.metric,
               mean_of(result.windows, true), mean_of(result.windows, false));
    fmt::print("{}\n", result.dir);
    return 0;
  } catch (...) {
    return qtrader::cli::report_failure(std::current_exception());
  }
}

}  // namespace

namespace qtrader::cli {

void add_walkforward_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<Args>();
  auto* wf = app.add_subcommand(
      "walkforward", "Walk-forward optimisation: sweep each training span, run the best point on the next span");
  wf->add_option("backtest", args->backtest, "Backtest file (YAML)")->required()->check(CLI::ExistingFile);
  wf->add_option("--param", args->params, "A grid axis, as for sweep: NAME=A:B:STEP or NAME=V1,V2,...")
      ->required()
      ->allow_extra_args(false);
  wf->add_option("--train", args->train, "Training span: 3y, 18m, 2w, 90d")->required();
  wf->add_option("--test", args->test, "Test span after each training span")->required();
  wf->add_option("--step", args->step, "How far each window moves (default: the test span)");
  wf->add_flag("--anchored", args->anchored, "Every training span starts at the backtest's start_date");
  wf->add_option("--metric", args->metric, "Metric that picks each window's best point (default sharpe)");
  wf->add_option("-j,--jobs", args->jobs, "Worker processes per training sweep (default: one per core)")
      ->check(CLI::PositiveNumber);
  wf->add_option("--output", args->output,
                 "Folder (default: a new folder under <default_results_dir>/walkforward)");
  wf->add_option("--system", args->system, "System configuration")->check(CLI::ExistingFile);
  wf->add_option("--data", args->data, "A folder of SYMBOL.csv files every data source reads instead")
      ->check(CLI::ExistingDirectory);
  wf->add_flag("-q,--quiet", args->quiet, "No progress on stderr");
  wf->add_option("--rank-timeout", args->rank_timeout,
                 "With --mpi: seconds without a word after which a rank is taken for dead (default 30; 0: "
                 "never). Needs mpirun --mca orte_enable_recovery 1 (docs/cluster.md)")
      ->check(CLI::NonNegativeNumber);
  wf->add_flag("--mpi", args->mpi,
               "Run the training sweeps on the ranks of `mpirun -n N` (implied when mpirun started more "
               "than one), --jobs workers per rank (default 1) (docs/cluster.md)");
  wf->callback([args, &exit_code] { exit_code = walkforward_command(*args); });
}

}  // namespace qtrader::cli
