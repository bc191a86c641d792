// qtrader show RUN_DIR: a run's metrics and the last lines of its run.log.
#include <deque>
#include <filesystem>
#include <exception>
#include <fstream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "exit_status.hpp"
#include "metrics/metrics_json.hpp"
#include "qtrader/results.hpp"

namespace qtrader::cli {

namespace {

std::deque<std::string> last_lines(const std::string& path, std::size_t n) {
  std::deque<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(std::move(line));
    if (lines.size() > n) lines.pop_front();
  }
  return lines;
}

// `show --json` (docs/cli-json.md): the run's metrics as metrics.json has
// them, its summary.json (null when missing) and the end of its run.log.
nlohmann::ordered_json show_json(const std::string& run_dir, const Metrics& m, const std::string& log,
                                 const std::deque<std::string>& lines) {
  nlohmann::ordered_json summary = nullptr;
  if (std::ifstream in(std::filesystem::path(run_dir) / "summary.json"); in)
    summary = nlohmann::ordered_json::parse(in, nullptr, false);
  if (summary.is_discarded()) summary = nullptr;
  return {{"run", run_dir},
          {"metrics", metrics::metrics_tree(m)},
          {"summary", summary},
          {"log", {{"path", log}, {"last_lines", lines}}}};
}

}  // namespace

void add_show_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string run_dir;
    MetricsOptions metrics;
    std::size_t lines = 10;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("show", "Show a run's metrics and the end of its log");
  cmd->add_option("run_dir", args->run_dir, "The run's results folder")->required();
  cmd->add_option("--risk-free", args->metrics.risk_free_rate,
                  "Annual risk-free rate for Sharpe and Sortino (default 0)");
  cmd->add_option("-n,--lines", args->lines, "Log lines to show (default 10)");
  cmd->add_flag("--json", args->json, "One JSON object on stdout instead of text (docs/cli-json.md)");
  cmd->callback([args, &exit_code] {
    if (!qtrader::cli::check_run_dir(args->run_dir, exit_code)) return;
    try {
      const Metrics m = compute_metrics(args->run_dir, args->metrics);
      const std::string log = (std::filesystem::path(args->run_dir) / "run.log").lexically_normal().string();
      const auto lines = last_lines(log, args->lines);
      if (args->json) {
        fmt::print("{}\n", show_json(args->run_dir, m, log, lines).dump(2));
        exit_code = 0;
        return;
      }
      fmt::print("run {}\n\n", args->run_dir);
      for (const auto& l : metric_lines(m)) fmt::print("  {:<20} {:>16}\n", l.label, l.text);
      if (m.by_strategy.size() > 1 || m.by_symbol.size() > 1) {
        fmt::print("\n  {:<20} {:>7} {:>9} {:>14} {:>9}\n", "by strategy/symbol", "trades",
                   "win rate", "net P&L", "exposure");
        auto row = [](const std::string& name, const TradeStats& s) {
          fmt::print("  {:<20} {:>7} {:>9} {:>14.2f} {:>8.1f}%\n", name, s.trades,
                     s.trades ? fmt::format("{:.1f}%", s.win_rate * 100) : "-", s.net_pnl,
                     s.exposure * 100);
        };
        for (const auto& [name, s] : m.by_strategy) row(name, s);
        for (const auto& [name, s] : m.by_symbol) row(name, s);
      }
      fmt::print("\nlast {} lines of {}:\n", lines.size(), log);
      for (const auto& l : lines) fmt::print("  {}\n", l);
      exit_code = 0;
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 1;
    }
  });
}

}  // namespace qtrader::cli
