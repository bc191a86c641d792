// qtrader run BACKTEST.yaml: runs a backtest and prints its results folder.
// qtrader resume RUN_DIR: continues a killed run from its last checkpoint.
#include <atomic>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/results.hpp"
#include "qtrader/lua/supervisor.hpp"
#include "qtrader/supervised_run.hpp"
#include "commands.hpp"
#include "exit_status.hpp"
#include "terminal.hpp"

namespace {

// SIGINT/SIGTERM ask the run to stop between two timestamps (RunOptions::stop):
// the runs row then says `interrupted`, the CSV files end on whole rows and the
// exit status is 130. A second signal while it stops is the default action, and
// so is SIGALRM 5 s later: a run that reaches no timestamp boundary by then
// (still reading its input, or in a long script call) ends as a signal would
// end it, and `qtrader runs` shows it as died.
std::atomic<bool> g_stop{false};
constexpr unsigned kStopGraceSeconds = 5;
extern "C" void on_stop_signal(int sig) {
  g_stop.store(true);
  std::signal(sig, SIG_DFL);
  alarm(kStopGraceSeconds);
}

// The portfolio's headline metrics, two to a line, as metrics.json has them.
void print_headline_metrics(const std::string& results_dir) {
  try {
    const auto lines = qtrader::metric_lines(qtrader::compute_metrics(results_dir));
    for (std::size_t i = 0; i < lines.size(); ++i)
      fmt::print(stderr, "{:<24}{:>14}{}", lines[i].label, lines[i].text, i % 2 ? "\n" : "    ");
    if (lines.size() % 2) fmt::print(stderr, "\n");
  } catch (const std::exception&) {
    // The metrics are a courtesy here; metrics.json is what counts.
  }
}

// `resume_dir` not empty: `qtrader resume` of that folder instead of a run of `backtest`.
int run_in_process(const std::string& backtest, const qtrader::EngineOptions& engine_options,
                const qtrader::RunOptions& run_options, const std::string& resume_dir = {}) {
  try {
    qtrader::Engine engine(engine_options);
    qtrader::RunOptions options = run_options;
    options.stop = &g_stop;
    options.color = qtrader::cli::log_color();
    options.on_progress = qtrader::cli::terminal_progress_bar(options.quiet);
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    const auto result = resume_dir.empty() ? engine.run(backtest, options) : engine.resume(resume_dir, options);
    const auto& s = result.summary;
    if (!run_options.quiet) {
      fmt::print(stderr, "bars {}  trades {}  final cash {:.2f}  final equity {:.2f}\n",
                 s.bars_processed, s.trades, s.final_cash, s.final_equity);
      if (run_options.report) print_headline_metrics(result.results_dir);
    }
    fmt::print("{}\n", result.results_dir);
    return 0;
  } catch (...) {
    return qtrader::cli::report_failure(std::current_exception());
  }
}

// Signals that stop a run from outside: a supervised child that died of one
// takes its parent the same way, as an unsupervised run would have died.
bool stopped_from_outside(int sig) {
  return sig == SIGINT || sig == SIGTERM || sig == SIGALRM || sig == SIGHUP || sig == SIGPIPE;
}

// Strict mode with sandbox.jit: supervised runs the backtest in a child with
// the JIT on; this process only watches its calls into Lua (docs/sandbox.md,
// "Supervised strict mode"). A system file that cannot be read is reported by
// the run itself, in-process.
int run_command(const std::string& backtest, const qtrader::EngineOptions& engine_options,
                const qtrader::RunOptions& run_options, const std::string& resume_dir = {}) {
  qtrader::SandboxSupervision sandbox;
  try {
    sandbox = qtrader::read_sandbox_supervision(qtrader::Engine(engine_options).system_config_path());
  } catch (...) {
    return run_in_process(backtest, engine_options, run_options, resume_dir);
  }
  if (!sandbox.supervised) return run_in_process(backtest, engine_options, run_options, resume_dir);
  qtrader::SupervisorOptions supervisor;
  supervisor.address_space_bytes = sandbox.address_space_bytes;
  qtrader::SupervisedExit ended;
  try {
    ended = qtrader::run_supervised(
        // The engine publishes the results folder itself (attached_call_publisher).
        [&](const auto&) { return run_in_process(backtest, engine_options, run_options, resume_dir); },
        supervisor);
  } catch (...) {
    return qtrader::cli::report_failure(std::current_exception());
  }
  if (ended.how == qtrader::SupervisedExit::How::Exited) return ended.exit_code;
  if (ended.how == qtrader::SupervisedExit::How::Crashed && stopped_from_outside(ended.signal)) {
    std::signal(ended.signal, SIG_DFL);
    std::raise(ended.signal);
  }
  const std::string message = ended.message();
  qtrader::record_stopped_run(ended.results_dir, message);
  fmt::print(stderr, "error: {}\n", message);
  return 1;
}

}  // namespace

namespace qtrader::cli {

void add_run_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string backtest;
    qtrader::EngineOptions engine;
    qtrader::RunOptions run;
    std::vector<std::string> params;
  };
  auto args = std::make_shared<Args>();
  auto* run = app.add_subcommand("run", "Run a backtest and print its results folder");
  run->add_option("backtest", args->backtest, "Backtest file (YAML)")->required()->check(CLI::ExistingFile);
  run->add_option("--system", args->engine.system_config,
                  "System configuration (default: config/system.yaml of the qtrader tree)")
      ->check(CLI::ExistingFile);
  run->add_option("--data", args->engine.data_dir,
                  "A folder of SYMBOL.csv files every data source of the backtest reads instead "
                  "(layout from the files' header; docs/data.md)")
      ->check(CLI::ExistingDirectory);
  run->add_option("--output", args->run.output_dir,
                  "Results base folder (default: output.default_results_dir of the system file)");
  auto* quiet = run->add_flag("-q,--quiet", args->run.quiet, "Only warnings and errors on stderr");
  run->add_flag("-v,--verbose", args->run.verbose, "Debug messages on stderr")->excludes(quiet);
  run->add_flag("--no-report", [args](std::int64_t) { args->run.report = false; },
                "Skip metrics.json and report.html (e.g. for benchmarks)");
  run->add_flag("--allow-unlocked", args->run.allow_unlocked,
                "Run even when a library no longer matches the backtest's qtrader.lock (docs/libraries.md)");
  run->add_flag("--validate-events", args->run.validate_events,
                "Check every stored event against contracts/ before the run completes; one that breaks its "
                "contract fails the run (docs/contracts.md)");
  run->add_option("--param", args->params,
                  "Override a script param: NAME=VALUE (repeatable). NAME is PARAM of the only "
                  "strategy, STRATEGY_ID.PARAM, or risk.PARAM; VALUE is read as YAML")
      ->allow_extra_args(false);
  run->callback([args, &exit_code] {
    for (const auto& p : args->params) {
      const auto eq = p.find('=');
      if (eq == std::string::npos || eq == 0) {
        fmt::print(stderr, "error: --param {}: expected NAME=VALUE\n", p);
        exit_code = 2;
        return;
      }
      args->run.params.push_back({p.substr(0, eq), p.substr(eq + 1)});
    }
    exit_code = run_command(args->backtest, args->engine, args->run);
  });
}

void add_resume_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string run_dir;
    qtrader::RunOptions run;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "resume", "Continue a killed run from its last checkpoint (checkpoint_every; docs/checkpoints.md)");
  cmd->add_option("run_dir", args->run_dir, "The run's results folder")->required()->check(CLI::ExistingDirectory);
  auto* quiet = cmd->add_flag("-q,--quiet", args->run.quiet, "Only warnings and errors on stderr");
  cmd->add_flag("-v,--verbose", args->run.verbose, "Debug messages on stderr")->excludes(quiet);
  cmd->callback([args, &exit_code] { exit_code = run_command({}, {}, args->run, args->run_dir); });
}

}  // namespace qtrader::cli
