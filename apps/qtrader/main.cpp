// qtrader command line. Exit status: 0 done, 2 bad configuration or data,
// 1 the run failed (a script error, an I/O error, ...).
#include <cstdlib>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "commands.hpp"

int main(int argc, char** argv) {
  // spdlog's own default logger writes to stdout, where commands print their
  // results (a run's folder): log lines go to stderr, and below a warning only
  // once a run has set up its own logging (its level, --quiet, run.log). What
  // scripts print while the registry reads them (main chunks) is not shown.
  const char* no_color = std::getenv("NO_COLOR");  // no-color.org: set and not empty
  auto logger = spdlog::stderr_color_mt(
      "qtrader", no_color && *no_color ? spdlog::color_mode::never : spdlog::color_mode::automatic);
  logger->set_level(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  CLI::App app{"qtrader: an event-driven backtesting engine with strategies in Lua"};
  app.require_subcommand(1);
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
