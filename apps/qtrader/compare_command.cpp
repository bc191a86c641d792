// qtrader compare RUN_A RUN_B: what differed in the two runs' params first,
// then their metrics side by side, with B - A (percentages differ in
// percentage points).
#include <cmath>
#include <exception>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "param_diff.hpp"
#include "qtrader/results.hpp"

namespace qtrader::cli {

void add_compare_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string run_a, run_b;
    MetricsOptions metrics;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("compare", "Show two runs' metrics side by side");
  cmd->add_option("run_a", args->run_a, "First run's results folder")->required();
  cmd->add_option("run_b", args->run_b, "Second run's results folder")->required();
  cmd->add_option("--risk-free", args->metrics.risk_free_rate,
                  "Annual risk-free rate for Sharpe and Sortino (default 0)");
  cmd->callback([args, &exit_code] {
    for (const auto* dir : {&args->run_a, &args->run_b})
      if (!is_run_dir(*dir)) {
        fmt::print(stderr, "error: {}: not a run's results folder (no equity.csv)\n", *dir);
        exit_code = 2;
        return;
      }
    try {
      const auto a = metric_lines(compute_metrics(args->run_a, args->metrics));
      const auto b = metric_lines(compute_metrics(args->run_b, args->metrics));
      fmt::print("A {}\nB {}\n\n", args->run_a, args->run_b);
      bool recorded = false;
      const auto diffs = param_differences(args->run_a + "/summary.json",
                                           args->run_b + "/summary.json", recorded);
      if (!recorded) {
        fmt::print("  params: not recorded in both runs\n\n");
      } else if (diffs.empty()) {
        fmt::print("  params: identical\n\n");
      } else {
        fmt::print("  {:<28} {:>16} {:>16}\n", "param", "A", "B");
        for (const auto& d : diffs) fmt::print("  {:<28} {:>16} {:>16}\n", d.name, d.a, d.b);
        fmt::print("\n");
      }
      fmt::print("  {:<20} {:>16} {:>16} {:>14}\n", "metric", "A", "B", "B - A");
      for (std::size_t i = 0; i < a.size(); ++i) {
        std::string diff;
        if (std::isfinite(a[i].value) && std::isfinite(b[i].value)) {
          const double d = b[i].value - a[i].value;
          diff = a[i].is_percent ? fmt::format("{:+.2f} pt", d * 100.0) : fmt::format("{:+.3f}", d);
        } else if (a[i].text != b[i].text) {
          diff = "differs";
        }
        fmt::print("  {:<20} {:>16} {:>16} {:>14}\n", a[i].label, a[i].text, b[i].text, diff);
      }
      exit_code = 0;
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 1;
    }
  });
}

}  // namespace qtrader::cli
