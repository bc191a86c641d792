// qtrader watch BACKTEST.yaml: runs the backtest, then re-runs it whenever a
// script in the registry roots or one of the YAML files changes. Market data
// stays in memory between runs (Engine's cache); a change that fails to load
// is reported and the last good results stay. Ctrl-C stops it (exit 0).
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "terminal.hpp"
#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/hash.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::atomic<bool> g_stop{false};
extern "C" void on_interrupt(int) { g_stop.store(true); }

// What identifies a file's version: size, mtime and content hash (the hash
// catches same-size saves within one mtime tick and editors' atomic renames).
struct FileState {
  std::uintmax_t size = 0;
  std::int64_t mtime_ns = 0;
  std::string hash;
  bool operator==(const FileState&) const = default;
};
using Snapshot = std::map<std::string, FileState>;

void add_file(Snapshot& snap, const fs::path& p) {
  std::error_code ec;
  FileState s;
  s.size = fs::file_size(p, ec);
  if (ec) return;
  s.mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   fs::last_write_time(p, ec).time_since_epoch()).count();
  s.hash = qtrader::file_hash_hex(p.string());
  snap[p.lexically_normal().string()] = s;
}

// Every .lua file under the script roots (recursively: modules live in
// subfolders) plus the configuration files.
Snapshot take_snapshot(const std::vector<std::string>& roots, const std::vector<std::string>& files) {
  Snapshot snap;
  for (const auto& root : roots) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec) && it->path().extension() == ".lua") add_file(snap, it->path());
  }
  for (const auto& f : files) add_file(snap, f);
  return snap;
}

std::vector<std::string> changed_files(const Snapshot& before, const Snapshot& after) {
  std::vector<std::string> out;
  for (const auto& [path, state] : after) {
    auto it = before.find(path);
    if (it == before.end() || !(it->second == state)) out.push_back(path);
  }
  for (const auto& [path, state] : before)
    if (!after.count(path)) out.push_back(path);
  return out;
}

struct Watched {
  std::vector<std::string> roots, files;
};

// Roots and files to watch, from the backtest as it is now (its script_paths
// may change too). On a broken YAML, keep watching what we had.
Watched watched_paths(const std::string& backtest, const std::string& system, const std::string& root,
                      const Watched& previous) {
  Watched w;
  w.files = {fs::absolute(backtest).string(), system};
  try {
    const auto sys = qtrader::load_system_config(system);
    w.files.push_back(sys.data.sources_config);
    const auto bt = qtrader::load_backtest_config(backtest);
    w.roots = bt.script_paths;
  } catch (const std::exception&) {
    return previous.files.empty() ? w : previous;
  }
  w.roots.push_back(root + "/strategies");
  w.roots.push_back(root + "/scripts");
  return w;
}

struct Figures {
  int run = 0;
  std::uint64_t bars = 0;
  std::size_t trades = 0;
  double final_equity = 0.0;
  double ms = 0.0;
  std::string results_dir;
};

void print_table(const Figures& now, const std::optional<Figures>& before) {
  std::string out = fmt::format("\nrun {}: {}\n", now.run, now.results_dir);
  out += fmt::format("  {:<14}{:>16}{:>16}\n", "", before ? fmt::format("run {}", before->run) : "", "this run");
  auto row = [&](const char* name, const std::string& a, const std::string& b) {
    out += fmt::format("  {:<14}{:>16}{:>16}\n", name, a, b);
  };
  row("bars", before ? std::to_string(before->bars) : "-", std::to_string(now.bars));
  row("trades", before ? std::to_string(before->trades) : "-", std::to_string(now.trades));
  row("final equity", before ? fmt::format("{:.2f}", before->final_equity) : "-",
      fmt::format("{:.2f}", now.final_equity));
  row("run time ms", before ? fmt::format("{:.0f}", before->ms) : "-", fmt::format("{:.0f}", now.ms));
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
}

int watch(const std::string& backtest, qtrader::EngineOptions engine_options, qtrader::RunOptions run_options,
          int interval_ms) {
  engine_options.cache_market_data = true;
  run_options.color = qtrader::cli::log_color();
  run_options.stop = &g_stop;  // Ctrl-C stops a run in progress too, as interrupted
  qtrader::Engine engine(engine_options);
  const std::string system = fs::absolute(engine.system_config_path()).string();

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);

  std::optional<Figures> last_good;
  int runs = 0;
  auto run_once = [&](const std::vector<std::string>& why) {
    ++runs;
    if (!why.empty()) {
      std::string names;
      for (const auto& f : why) names += (names.empty() ? "" : ", ") + fs::path(f).filename().string();
      fmt::print("\nchanged: {}\n", names);
    }
    const auto start = Clock::now();
    try {
      const auto result = engine.run(backtest, run_options);
      Figures f{runs, result.summary.bars_processed, result.summary.trades, result.summary.final_equity,
                std::chrono::duration<double, std::milli>(Clock::now() - start).count(), result.results_dir};
      print_table(f, last_good);
      last_good = f;
    } catch (const qtrader::ScriptError& e) {
      fmt::print("\nrun {} failed: {}\n", runs, e.what());
      if (!e.traceback().empty()) fmt::print("{}\n", e.traceback());
    } catch (const std::exception& e) {
      fmt::print("\nrun {} failed: {}\n", runs, e.what());
    }
    if (last_good && last_good->run != runs)
      fmt::print("keeping the results of run {}: {}\n", last_good->run, last_good->results_dir);
    fmt::print("watching for changes (Ctrl-C to stop)\n");
    std::fflush(stdout);
  };

  Watched watched = watched_paths(backtest, system, engine.root(), {});
  Snapshot seen = take_snapshot(watched.roots, watched.files);
  run_once({});
  const auto interval = std::chrono::milliseconds(interval_ms);
  const auto debounce = std::chrono::milliseconds(200);
  while (!g_stop.load()) {
    std::this_thread::sleep_for(interval);
    if (g_stop.load()) break;
    Snapshot now = take_snapshot(watched.roots, watched.files);
    auto changed = changed_files(seen, now);
    if (changed.empty()) continue;
    // Debounce: wait until the files stop changing, so a half-written save is not run.
    for (auto quiet_since = Clock::now(); !g_stop.load() && Clock::now() - quiet_since < debounce;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      Snapshot again = take_snapshot(watched.roots, watched.files);
      if (!changed_files(now, again).empty()) {
        for (auto& f : changed_files(now, again)) changed.push_back(f);
        now = std::move(again);
        quiet_since = Clock::now();
      }
    }
    if (g_stop.load()) break;
    // The baseline is what the run read, taken before it: an edit saved while
    // the run goes is then seen as a change, not folded into the baseline.
    seen = std::move(now);
    run_once(changed);
    Watched next = watched_paths(backtest, system, engine.root(), watched);
    if (next.roots != watched.roots || next.files != watched.files) {
      watched = std::move(next);
      seen = take_snapshot(watched.roots, watched.files);
    }
  }
  fmt::print("\nstopped after {} run{}\n", runs, runs == 1 ? "" : "s");
  std::fflush(stdout);
  return 0;
}

}  // namespace

namespace qtrader::cli {

void add_watch_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string backtest;
    qtrader::EngineOptions engine;
    qtrader::RunOptions run;
    int interval_ms = 200;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "watch", "Run a backtest, then re-run it whenever a script or a configuration file changes");
  cmd->add_option("backtest", args->backtest, "Backtest file (YAML)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--system", args->engine.system_config,
                  "System configuration (default: config/system.yaml of the qtrader tree)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--data", args->engine.data_dir,
                  "A folder of SYMBOL.csv files every data source of the backtest reads instead "
                  "(layout from the files' header; docs/data.md)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--output", args->run.output_dir,
                  "Results base folder (default: output.default_results_dir of the system file)");
  cmd->add_option("--interval-ms", args->interval_ms, "How often to look for changes (default 200)")
      ->check(CLI::Range(20, 60000));
  cmd->add_flag("-v,--verbose", args->run.verbose, "Log lines of each run on stderr");
  cmd->callback([args, &exit_code] {
    args->run.quiet = !args->run.verbose;
    exit_code = watch(args->backtest, args->engine, args->run, args->interval_ms);
  });
}

}  // namespace qtrader::cli
