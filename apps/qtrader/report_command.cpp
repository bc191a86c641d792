// qtrader report RUN_DIR: writes metrics.json and report.html again from the
// files of a finished (or failed) run, and prints the report's path.
#include <exception>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "exit_status.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/results.hpp"

namespace qtrader::cli {

void add_report_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string run_dir;
    ReportOptions options;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("report", "Write report.html and metrics.json of a run again");
  cmd->add_option("run_dir", args->run_dir, "The run's results folder")->required();
  cmd->add_option("--risk-free", args->options.metrics.risk_free_rate,
                  "Annual risk-free rate for Sharpe and Sortino, e.g. 0.02 (default 0)");
  cmd->callback([args, &exit_code] {
    if (!qtrader::cli::check_run_dir(args->run_dir, exit_code)) return;
    try {
      const auto result = write_report(args->run_dir, args->options);
      for (const auto& w : result.warnings) fmt::print(stderr, "warning: {}\n", w);
      fmt::print("{}\n", result.path);
      exit_code = 0;
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 1;
    }
  });
}

}  // namespace qtrader::cli
