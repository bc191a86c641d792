// qtrader command line. Exit status: 0 done, 2 bad configuration or data,
// 1 the run failed (a script error, an I/O error, ...).
#include <CLI/CLI.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
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
  qtrader::cli::add_data_command(app, exit_code);
  qtrader::cli::add_lib_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}
