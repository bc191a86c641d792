// run_sweep: the parent's side of a sweep. It checks the grid, reads the
// market data once, resumes from sweep.sqlite, hands points to forked
// workers and records each result as it arrives (sweep.sqlite, sweep.csv).
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/results_dir.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/hash.hpp"
#include "qtrader/sweep.hpp"
#include "qtrader/version.hpp"
#include "sweep/sweep_report.hpp"
#include "sweep/sweep_store.hpp"
#include "sweep/worker_pool.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

volatile std::sig_atomic_t g_stop_signal = 0;
void on_stop_signal(int sig) { g_stop_signal = sig; }

// SIGINT and SIGTERM stop the sweep cleanly (finished points are kept);
// SIGPIPE is ignored so a dead worker's pipe is an error, not the parent's death.
class SignalScope {
 public:
  SignalScope() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: poll() returns at once
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &old_pipe_);
  }
  ~SignalScope() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGPIPE, &old_pipe_, nullptr);
  }

 private:
  struct sigaction old_int_ {}, old_term_ {}, old_pipe_ {};
};

std::string point_dir(const std::string& sweep_dir, std::size_t point, std::size_t total) {
  const std::size_t width = std::max<std::size_t>(4, fmt::format("{}", total ? total - 1 : 0).size());
  return (fs::path(sweep_dir) / "points" / fmt::format("{:0{}}", point, width)).string();
}

// A row as the worker's one-line message, and back.
std::string row_message(const SweepRow& row) {
  return nlohmann::json{{"point", row.point},   {"values", row.values}, {"status", row.status},
                        {"metrics", row.metrics}, {"error", row.error}}
      .dump();
}
SweepRow row_from_message(const std::string& line) {
  const auto j = nlohmann::json::parse(line);
  SweepRow row;
  row.point = j.at("point").get<std::size_t>();
  row.values = j.at("values").get<std::vector<std::string>>();
  row.status = j.at("status").get<std::string>();
  row.metrics = j.at("metrics").get<std::vector<std::string>>();
  row.error = j.at("error").get<std::string>();
  return row;
}

// One point, in a worker: a fresh run (its own Lua state) into points/NNNN.
SweepRow run_point(Engine& engine, const SweepOptions& options, const std::string& dir,
                   std::size_t point) {
  SweepRow row;
  row.point = point;
  row.values = grid_values(options.axes, point);
  try {
    std::error_code ignored;
    fs::remove_all(dir, ignored);  // what an interrupted attempt left
    engine.run(options.backtest, point_run_options(options.axes, point, dir, options.start_date, options.end_date));
    return sweep_row_from_results(point, row.values, dir);
  } catch (const ScriptError& e) {
    row.error = e.traceback().empty() ? e.what() : fmt::format("{}\n{}", e.what(), e.traceback());
  } catch (const std::exception& e) {
    row.error = e.what();
  }
  row.status = "failed";
  return row;
}

// The sweep's folder: a new one, or the folder of an earlier run of the same
// sweep (same grid, backtest and system files), whose finished points are
// returned so they are not run again.
std::map<std::size_t, SweepRow> open_sweep_dir(const Engine& engine, const SweepOptions& options,
                                               std::size_t total, SweepResult& result,
                                               std::optional<FolderLock>& lock) {
  const std::string system = engine.system_config_path();
  if (options.output_dir.empty()) {
    const SystemConfig sc = load_system_config(system);
    RunFolder folder =
        make_results_dir(fs::path(sc.output.default_results_dir) / "sweeps", sc.output, FixedFolder::Keep);
    result.dir = folder.path;
    lock.emplace(std::move(folder.lock));
  } else {
    fs::create_directories(options.output_dir);
    result.dir = fs::absolute(options.output_dir).lexically_normal().string();
    lock.emplace(result.dir);  // two sweeps into one folder would clobber each other's rows
  }
  result.csv = (fs::path(result.dir) / "sweep.csv").string();
  const SweepSelection& sel = options.selection;
  const std::map<std::string, std::string> info{
      {"backtest", fs::absolute(options.backtest).lexically_normal().string()},
      {"backtest_hash", file_hash_hex(options.backtest)},
      {"system_hash", file_hash_hex(system)},
      {"grid", grid_text(options.axes)},
      {"axes", axes_json(options.axes)},
      {"points", fmt::format("{}", total)},
      {"selection", whole_selection_text(sel)},
      {"selected", fmt::format("{}", selected_points(total, SweepSelection{sel.random, sel.seed}).size())},
      {"shard", sel.shard_count > 1 ? fmt::format("{}/{}", sel.shard_index, sel.shard_count) : ""},
      {"span", options.start_date || options.end_date
                   ? fmt::format("{} {}", options.start_date, options.end_date) : ""},
      // The engine that started the sweep (a resumed sweep keeps these).
      {"qtrader_version", std::string(version())},
      {"qtrader_commit", std::string(git_commit())}};
  const std::pair<const char*, const char*> what[] = {{"grid", "grid"},
                                                      {"backtest_hash", "backtest file"},
                                                      {"system_hash", "system file"},
                                                      {"selection", "selection of points"},
                                                      {"shard", "shard"},
                                                      {"span", "span of dates"}};
  SweepStore store((fs::path(result.dir) / "sweep.sqlite").string());
  const auto started = store.info();
  if (started.empty()) store.write_info(info);
  for (const auto& [key, name] : what)
    if (started.count(key) && started.at(key) != info.at(key))
      throw SweepError(fmt::format(
          "{} holds a sweep started with another {} ({} then, {} now): use another --output",
          result.dir, name, started.at(key), info.at(key)));
  std::map<std::size_t, SweepRow> rows;
  const std::vector<std::size_t> selected = selected_points(total, options.selection);
  for (auto& row : store.rows(options.axes))
    if (std::binary_search(selected.begin(), selected.end(), row.point) &&
        row.values == grid_values(options.axes, row.point))
      rows.emplace(row.point, std::move(row));
  return rows;
}

// Hands the pending points to forked workers and records each row as it
// arrives (sweep.sqlite, then a line of sweep.csv). SIGINT/SIGTERM stop the
// pool; the points it was running are run again on resume.
void drive_pool(Engine& engine, const SweepOptions& options, const std::vector<std::size_t>& pending,
                std::size_t total, std::map<std::size_t, SweepRow>& rows, SweepResult& result) {
  SignalScope signals;
  const auto start = std::chrono::steady_clock::now();
  const std::size_t jobs = std::max<std::size_t>(1, std::min(options.jobs, pending.size()));
  WorkerPool pool(pending.empty() ? 0 : jobs, [&](std::size_t point) {
    return row_message(run_point(engine, options, point_dir(result.dir, point, total), point));
  });
  // Opened after the fork: the workers never hold the database.
  SweepStore store((fs::path(result.dir) / "sweep.sqlite").string());
  std::FILE* csv = std::fopen(result.csv.c_str(), "ab");
  if (!csv) throw std::runtime_error(fmt::format("{}: cannot open", result.csv));

  std::size_t next = 0;
  bool stopped = false;
  // A worker can die for reasons that are not its point's (the OOM killer, an
  // operator's kill): its point runs once more before it becomes a failed row.
  std::vector<std::size_t> again;
  std::set<std::size_t> retried;
  while (pool.busy() > 0 || (!stopped && (next < pending.size() || !again.empty()))) {
    if (g_stop_signal && !stopped) {
      stopped = true;
      pool.stop();
    }
    while (!stopped && !again.empty() && pool.has_idle()) {
      pool.assign(again.back());
      again.pop_back();
    }
    while (!stopped && next < pending.size() && pool.has_idle()) pool.assign(pending[next++]);
    for (const auto& event : pool.wait(500)) {
      if (event.died && (stopped || g_stop_signal)) continue;  // interrupted: run again on resume
      if (event.died && retried.insert(event.point).second) {
        again.push_back(event.point);
        continue;
      }
      SweepRow row = event.died ? SweepRow{} : row_from_message(event.line);
      if (event.died) {
        row.point = event.point;
        row.values = grid_values(options.axes, event.point);
        row.status = "failed";
        row.error = event.reason;
      }
      store.insert(row, options.axes);
      const std::string line = format_sweep_row(row) + "\n";
      std::fwrite(line.data(), 1, line.size(), csv);
      std::fflush(csv);
      ++result.progress.done;
      result.progress.failed += row.status != "done";
      result.progress.elapsed_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (options.on_point) options.on_point(row, result.progress);
      rows[row.point] = std::move(row);
    }
  }
  std::fclose(csv);
  result.interrupted = stopped;
}

}  // namespace

SweepResult run_sweep(const SweepOptions& options) {
  if (options.axes.empty()) throw SweepError("no --param: a sweep needs at least one");
  std::set<std::string> names;
  for (const auto& a : options.axes)
    if (!names.insert(a.name).second) throw SweepError(fmt::format("--param {} is given twice", a.name));
  const std::size_t total = grid_size(options.axes);
  const std::vector<std::size_t> selected = selected_points(total, options.selection);

  EngineOptions engine_options = options.engine;
  engine_options.cache_market_data = true;
  Engine engine(engine_options);
  std::vector<std::string> axis_names;
  for (const auto& a : options.axes) axis_names.push_back(a.name);
  engine.check_param_names(options.backtest, axis_names);

  SweepResult result;
  std::optional<FolderLock> lock;  // held, and inherited by the workers, until the sweep ends
  std::map<std::size_t, SweepRow> rows = open_sweep_dir(engine, options, total, result, lock);
  result.progress.total = selected.size();

  // The market data, read once here and inherited by every worker.
  engine.preload(options.backtest);

  // A point whose worker was killed is run again on resume: the death was
  // most likely not the point's doing (a sweep killed with its workers).
  for (auto it = rows.begin(); it != rows.end();)
    it = it->second.status == "failed" && is_worker_death(it->second.error) ? rows.erase(it) : std::next(it);
  result.progress.skipped = rows.size();
  std::vector<std::size_t> pending;
  for (const std::size_t p : selected)
    if (!rows.count(p)) pending.push_back(p);
  if (options.max_points && pending.size() > options.max_points) pending.resize(options.max_points);

  write_sweep_csv(result.csv, options.axes, rows);
  drive_pool(engine, options, pending, total, rows, result);
  // The final file in point order, whatever order the points finished in.
  write_sweep_csv(result.csv, options.axes, rows);
  write_sweep_report(result.dir, sweep_title(options.backtest, options.axes), options.axes, rows,
                     result.progress.total, options.metric);
  for (auto& [point, row] : rows) result.rows.push_back(std::move(row));
  return result;
}

}  // namespace qtrader
