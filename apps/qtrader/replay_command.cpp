// qtrader replay RUN_DIR: rebuild the run's results from its events and
// compare them with the run's own files (engine/src/engine/replay.hpp).
#include <exception>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "engine/replay.hpp"
#include "qtrader/errors.hpp"

namespace qtrader::cli {

void add_replay_command(CLI::App& app, int& exit_code) {
  auto run_dir = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("replay", "Rebuild a run's results from its events alone and compare them with its files");
  cmd->add_option("run_dir", *run_dir, "The run's results folder")->required();
  cmd->callback([run_dir, &exit_code] {
    try {
      const ReplayOutcome outcome = replay_run(*run_dir);
      if (outcome.identical) {
        fmt::print("{}", outcome.report);
        exit_code = 0;
      } else {
        fmt::print(stderr, "replay: {}", outcome.report);
        exit_code = 1;
      }
    } catch (const DataError& e) {
      // Line 0: the file as a whole (a seq otherwise).
      if (e.line() == 0)
        fmt::print(stderr, "error: {}: {}\n", e.file(), e.reason());
      else
        fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 2;
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}: {}\n", *run_dir, e.what());
      exit_code = 1;
    }
  });
}

}  // namespace qtrader::cli
