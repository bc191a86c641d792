// `qtrader impact calibrate RUN_DIR`: the market-impact coefficient that
// best explains a run's fills (docs/execution.md "Market impact").
#include <cmath>
#include <exception>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "engine/impact_calibration.hpp"

namespace qtrader::cli {

void add_impact_command(CLI::App& app, int& exit_code) {
  auto* impact = app.add_subcommand("impact", "Market impact tools (docs/execution.md)");
  impact->require_subcommand(1);
  struct Args {
    std::string run_dir, model = "sqrt";
    int adv_window = 20, volatility_window = 20;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = impact->add_subcommand("calibrate", "Fit the impact coefficient to a run's fills, per symbol");
  cmd->add_option("run_dir", args->run_dir, "The run's results folder")->required();
  cmd->add_option("--model", args->model, "sqrt (default) or linear")->check(CLI::IsMember({"sqrt", "linear"}));
  cmd->add_option("--adv-window", args->adv_window, "Bars averaged into ADV (default 20)")->check(CLI::Range(1, 10000));
  cmd->add_option("--volatility-window", args->volatility_window, "Returns in sigma (default 20)")
      ->check(CLI::Range(2, 10000));
  cmd->callback([args, &exit_code] {
    exit_code = 2;
    ImpactConfig config;
    config.model = args->model == "linear" ? ImpactKind::Linear : ImpactKind::Sqrt;
    config.adv_window = args->adv_window;
    config.volatility_window = args->volatility_window;
    try {
      const auto fits = calibrate_run_impact(args->run_dir, config);
      fmt::print("symbol,fills,observations,coefficient,r_squared\n");
      for (const auto& s : fits) {
        const auto num = [](double v) { return std::isfinite(v) ? fmt::format("{}", v) : std::string(); };
        fmt::print("{},{},{},{},{}\n", s.symbol, s.fills, s.fit.observations, num(s.fit.coefficient),
                   num(s.fit.r_squared));
      }
      exit_code = 0;
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
    }
  });
}

}  // namespace qtrader::cli
