// qtrader data check SOURCE|BACKTEST|FOLDER: per-symbol first and last bar,
// bar count, problems (exit 2) and long gaps (reported, exit 0).
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "qtrader/data_check.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/time.hpp"
#include "commands.hpp"
#include "exit_status.hpp"

namespace {

void print_report(const qtrader::DataCheckReport& report) {
  fmt::print("{:<12} {:<10} {:<19} {:<19} {:>8}  {}\n", "symbol", "source", "first", "last",
             "bars", "status");
  std::size_t gaps = 0;
  for (const auto& s : report.symbols) {
    const bool any = s.bars > 0;
    fmt::print("{:<12} {:<10} {:<19} {:<19} {:>8}  {}\n", s.symbol, s.source,
               any ? qtrader::format_timestamp(s.first) : "-",
               any ? qtrader::format_timestamp(s.last) : "-", s.bars,
               s.errors.empty() ? "ok" : fmt::format("{} error(s)", s.errors.size()));
    for (const auto& e : s.errors) fmt::print("  error: {}\n", e);
    for (const auto& g : s.gaps) fmt::print("  gap: {}: {}\n", s.file, g);
    gaps += s.gaps.size();
  }
  fmt::print("{} symbol(s), {} error(s), {} gap(s)\n", report.symbols.size(), report.error_count(),
             gaps);
}

}  // namespace

namespace qtrader::cli {

void add_data_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string target;
    qtrader::DataCheckOptions options;
  };
  auto args = std::make_shared<Args>();
  auto* data = app.add_subcommand("data", "Inspect market data");
  data->require_subcommand(1);
  auto* check = data->add_subcommand(
      "check", "Per symbol: first and last bar, bar count, bad rows and gaps; exit 2 on errors");
  check->add_option("target", args->target,
                    "A backtest file, a source name of data_sources.yaml, or a folder of "
                    "SYMBOL.csv files")
      ->required();
  check->add_option("--system", args->options.system_config,
                    "System configuration (default: config/system.yaml of the qtrader tree)")
      ->check(CLI::ExistingFile);
  check->add_option("--data", args->options.data_dir,
                    "With a backtest: check this folder's SYMBOL.csv files, as `run --data` reads them")
      ->check(CLI::ExistingDirectory);
  check->add_option("--max-gap", args->options.max_gap,
                    "Report runs of more than this many missing weekdays (default 3)")
      ->check(CLI::NonNegativeNumber);
  check->callback([args, &exit_code] {
    try {
      if (args->options.system_config.empty())
        args->options.system_config = qtrader::Engine().system_config_path();
      const auto report = qtrader::check_data(args->target, args->options);
      print_report(report);
      exit_code = report.error_count() ? 2 : 0;
    } catch (...) {
      exit_code = report_failure(std::current_exception());
    }
  });
}

}  // namespace qtrader::cli
