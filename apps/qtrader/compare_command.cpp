// qtrader compare RUN_A RUN_B: what differed in the two runs' params first,
// then their metrics side by side, with B - A (percentages differ in
// percentage points).
#include <cmath>
#include <exception>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exit_status.hpp"
#include "param_diff.hpp"
#include "qtrader/results.hpp"

namespace qtrader::cli {

namespace {

nlohmann::ordered_json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

// `compare --json` (docs/cli-json.md).
nlohmann::ordered_json compare_json(const std::string& run_a, const std::string& run_b,
                                    const std::vector<MetricLine>& a, const std::vector<MetricLine>& b,
                                    bool recorded, const std::vector<ParamDifference>& diffs) {
  nlohmann::ordered_json params = nullptr;
  if (recorded) {
    params = nlohmann::ordered_json::array();
    for (const auto& d : diffs) params.push_back({{"name", d.name}, {"a", d.a}, {"b", d.b}});
  }
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < a.size(); ++i)
    metrics.push_back({{"metric", a[i].label},
                       {"a", number_or_null(a[i].value)},
                       {"b", number_or_null(b[i].value)},
                       {"b_minus_a", number_or_null(b[i].value - a[i].value)},
                       {"percent", a[i].is_percent},
                       {"a_text", a[i].text},
                       {"b_text", b[i].text}});
  return {{"a", run_a}, {"b", run_b}, {"params", params}, {"metrics", metrics}};
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string run_a, run_b;
    MetricsOptions metrics;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("compare", "Show two runs' metrics side by side");
  cmd->add_option("run_a", args->run_a, "First run's results folder")->required();
  cmd->add_option("run_b", args->run_b, "Second run's results folder")->required();
  cmd->add_option("--risk-free", args->metrics.risk_free_rate,
                  "Annual risk-free rate for Sharpe and Sortino (default 0)");
  cmd->add_flag("--json", args->json, "One JSON object on stdout instead of text (docs/cli-json.md)");
  cmd->callback([args, &exit_code] {
    for (const auto* dir : {&args->run_a, &args->run_b})
      if (!qtrader::cli::check_run_dir(*dir, exit_code)) return;
    try {
      const auto a = metric_lines(compute_metrics(args->run_a, args->metrics));
      const auto b = metric_lines(compute_metrics(args->run_b, args->metrics));
      bool recorded = false;
      const auto diffs = param_differences(args->run_a + "/summary.json",
                                           args->run_b + "/summary.json", recorded);
      if (args->json) {
        fmt::print("{}\n", compare_json(args->run_a, args->run_b, a, b, recorded, diffs).dump(2));
        exit_code = 0;
        return;
      }
      fmt::print("A {}\nB {}\n\n", args->run_a, args->run_b);
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
