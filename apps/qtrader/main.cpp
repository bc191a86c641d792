// qtrader command line. Exit status: 0 done, 2 bad configuration or data,
// 1 the run failed (a script error, an I/O error, ...).
#include <cstdio>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"

namespace {

int run_command(const std::string& backtest, const qtrader::EngineOptions& engine_options,
                const qtrader::RunOptions& run_options) {
  try {
    qtrader::Engine engine(engine_options);
    const auto result = engine.run(backtest, run_options);
    const auto& s = result.summary;
    if (!run_options.quiet)
      fmt::print(stderr, "bars {}  trades {}  final cash {:.2f}  final equity {:.2f}\n",
                 s.bars_processed, s.trades, s.final_cash, s.final_equity);
    fmt::print("{}\n", result.results_dir);
    return 0;
  } catch (const qtrader::ConfigError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const qtrader::DataError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const qtrader::ScriptError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    if (!e.traceback().empty()) fmt::print(stderr, "{}\n", e.traceback());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"qtrader: an event-driven backtesting engine with strategies in Lua"};
  app.require_subcommand(1);

  qtrader::EngineOptions engine_options;
  qtrader::RunOptions run_options;
  std::string backtest;

  auto* run = app.add_subcommand("run", "Run a backtest and print its results folder");
  run->add_option("backtest", backtest, "Backtest file (YAML)")->required()->check(CLI::ExistingFile);
  run->add_option("--system", engine_options.system_config,
                  "System configuration (default: config/system.yaml of the qtrader tree)")
      ->check(CLI::ExistingFile);
  run->add_option("--output", run_options.output_dir,
                  "Results base folder (default: output.default_results_dir of the system file)");
  auto* quiet = run->add_flag("-q,--quiet", run_options.quiet, "Only warnings and errors on stderr");
  run->add_flag("-v,--verbose", run_options.verbose, "Debug messages on stderr")->excludes(quiet);
  int rc = 0;
  run->callback([&] { rc = run_command(backtest, engine_options, run_options); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return rc;
}
