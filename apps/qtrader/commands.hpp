// Each subcommand lives in its own file and registers itself on the app.
// `exit_code` receives the command's exit status: 0 done, 2 bad input
// (configuration or data), 1 failure.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace qtrader::cli {

void add_run_command(CLI::App& app, int& exit_code);
void add_runs_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);
void add_show_command(CLI::App& app, int& exit_code);
void add_compare_command(CLI::App& app, int& exit_code);
void add_watch_command(CLI::App& app, int& exit_code);
void add_list_command(CLI::App& app, int& exit_code);
void add_sweep_command(CLI::App& app, int& exit_code);
void add_walkforward_command(CLI::App& app, int& exit_code);  // walkforward_command.cpp
void add_data_command(CLI::App& app, int& exit_code);
void add_new_command(CLI::App& app, int& exit_code);   // new_command.cpp
void add_test_command(CLI::App& app, int& exit_code);  // test_command.cpp
void add_lib_command(CLI::App& app, int& exit_code);
void add_events_command(CLI::App& app, int& exit_code);  // events_command.cpp
void add_impact_command(CLI::App& app, int& exit_code);  // impact_command.cpp
void add_replay_command(CLI::App& app, int& exit_code);  // replay_command.cpp
void add_resume_command(CLI::App& app, int& exit_code);  // run_command.cpp
void add_serve_command(CLI::App& app, int& exit_code);  // serve_command.cpp
void add_live_commands(CLI::App& app, int& exit_code);  // live_command.cpp: live and paper
// `qtrader __complete-bash` (hidden): the bash completion script of `app`.
void add_completion_command(CLI::App& app, int& exit_code);  // completion_command.cpp

// An Examples section at the end of each subcommand's --help (help_examples.cpp).
void add_help_examples(CLI::App& app);

// What `qtrader --version` prints (version_text.cpp).
std::string version_text();

}  // namespace qtrader::cli
