// qtrader live LIVE.yaml / qtrader paper BT.yaml: a session on the wall clock
// (docs/live.md); prints its folder, which `qtrader report` reads as a run's.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "exit_status.hpp"
#include "fix/fix_live_factories.hpp"
#include "live/live_session.hpp"
#include "terminal.hpp"

namespace {

// SIGINT/SIGTERM: an orderly stop between two timestamps (working orders
// cancelled or kept, per live.on_stop). A second signal is the default action.
std::atomic<bool> g_stop{false};
extern "C" void on_live_signal(int sig) {
  g_stop.store(true);
  std::signal(sig, SIG_DFL);
}

// One line on stderr, rewritten in place; only on a terminal, never with colours.
std::function<void(const qtrader::live::LiveStatus&)> status_line(bool quiet) {
  if (quiet || !::isatty(STDERR_FILENO)) return {};
  return [](const qtrader::live::LiveStatus& s) {
    fmt::print(stderr, "\r{} {:<20} orders {:<5} fills {:<5} working {:<3} equity {:>14.2f}{}{}   ", 
               s.done ? "done" : "live", s.sim_time, s.orders, s.fills, s.working, s.equity,
               s.feed_stale ? "  FEED STALE" : "", s.killed ? "  KILL SWITCH" : "");
    if (s.done) fmt::print(stderr, "\n");
  };
}

struct LiveArgs {
  qtrader::live::LiveOptions options;
  std::string speed;
};

// --speed N (engine seconds per wall second) or max.
bool read_speed(LiveArgs& a) {
  if (a.speed.empty()) return true;
  if (a.speed == "max") {
    a.options.speed = 0;
    return true;
  }
  try {
    std::size_t used = 0;
    const double v = std::stod(a.speed, &used);
    if (used == a.speed.size() && v > 0) {
      a.options.speed = v;
      return true;
    }
  } catch (const std::exception&) {
  }
  fmt::print(stderr, "error: --speed {}: expected a positive number or max\n", a.speed);
  return false;
}

int live_command(LiveArgs& a) {
  try {
    if (!read_speed(a)) return 2;
    a.options.stop = &g_stop;
    a.options.color = qtrader::cli::log_color();
    a.options.on_status = status_line(a.options.quiet);
    a.options.make_fix_broker = qtrader::fix::fix_broker_of;
    a.options.make_fix_feed = qtrader::fix::fix_feed_of;
    std::signal(SIGINT, on_live_signal);
    std::signal(SIGTERM, on_live_signal);
    const auto result = qtrader::live::run_live_session(a.options);
    fmt::print("{}\n", result.results_dir);
    return 0;
  } catch (...) {
    return qtrader::cli::report_failure(std::current_exception());
  }
}

void add_session_command(CLI::App& app, int& exit_code, bool paper) {
  auto args = std::make_shared<LiveArgs>();
  args->options.paper = paper;
  auto* cmd = app.add_subcommand(
      paper ? "paper" : "live",
      paper ? "Paper-trade a backtest file: replayed data, the paper broker (docs/live.md)"
            : "Run a backtest file's `live:` session: its feed and broker on the wall clock (docs/live.md)");
  cmd->add_option("backtest", args->options.backtest_path,
                  paper ? "Backtest file (YAML; a `live:` section is optional)" : "Backtest file with a `live:` section")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--speed", args->speed,
                  "Replay speed: engine seconds per wall second (1 = real time, 100, ...) or max");
  cmd->add_option("--resume", args->options.resume_dir,
                  "Go on with the session in this folder after a stop or a crash (its live_state.sqlite)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--system", args->options.system_config, "System configuration")->check(CLI::ExistingFile);
  cmd->add_option("--data", args->options.data_dir, "A folder of SYMBOL.csv files the sources read instead")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--output", args->options.output_dir, "Results base folder");
  auto* quiet = cmd->add_flag("-q,--quiet", args->options.quiet, "Only warnings and errors on stderr");
  cmd->add_flag("-v,--verbose", args->options.verbose, "Debug messages on stderr")->excludes(quiet);
  cmd->add_flag("--no-report", [args](std::int64_t) { args->options.report = false; },
                "Skip metrics.json and report.html");
  cmd->callback([args, &exit_code] { exit_code = live_command(*args); });
}

}  // namespace

namespace qtrader::cli {

void add_live_commands(CLI::App& app, int& exit_code) {
  add_session_command(app, exit_code, false);
  add_session_command(app, exit_code, true);
}

}  // namespace qtrader::cli
