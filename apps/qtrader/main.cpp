// qtrader command line. Exit status: 0 done, 2 bad configuration or data,
// 1 the run failed (a script error, an I/O error, ...).

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "command_logger.hpp"
#include "commands.hpp"
#include "terminal.hpp"

int main(int argc, char** argv) {
  // spdlog's own default logger writes to stdout, where commands print their
  // results (a run's folder): log lines go to stderr, and below a warning only
  // once a run has set up its own logging (its level, --quiet, run.log). What
  // scripts print while the registry reads them (main chunks) is not shown.
  spdlog::set_default_logger(
      qtrader::cli::make_command_logger(qtrader::cli::spdlog_color_mode(qtrader::LogColor::Auto)));
  CLI::App app{"qtrader: an event-driven backtesting engine with strategies in Lua"};
  app.require_subcommand(1);
  app.set_version_flag("--version", qtrader::cli::version_text);  // needs no subcommand
  app.fallthrough();  // --color after the subcommand too
  qtrader::cli::add_color_option(app);
  int exit_code = 0;
  qtrader::cli::add_run_command(app, exit_code);
  qtrader::cli::add_runs_command(app, exit_code);
  qtrader::cli::add_report_command(app, exit_code);
  qtrader::cli::add_show_command(app, exit_code);
  qtrader::cli::add_compare_command(app, exit_code);
  qtrader::cli::add_watch_command(app, exit_code);
  qtrader::cli::add_list_command(app, exit_code);
  qtrader::cli::add_sweep_command(app, exit_code);
  qtrader::cli::add_walkforward_command(app, exit_code);
  qtrader::cli::add_data_command(app, exit_code);
  qtrader::cli::add_new_command(app, exit_code);
  qtrader::cli::add_test_command(app, exit_code);
  qtrader::cli::add_lib_command(app, exit_code);
  qtrader::cli::add_events_command(app, exit_code);
  qtrader::cli::add_impact_command(app, exit_code);
  qtrader::cli::add_replay_command(app, exit_code);
  qtrader::cli::add_resume_command(app, exit_code);
  qtrader::cli::add_serve_command(app, exit_code);
  qtrader::cli::add_live_commands(app, exit_code);
  qtrader::cli::add_completion_command(app, exit_code);
  qtrader::cli::add_help_examples(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
