// SweepSession, PointRunner and the stop signals (sweep_session.hpp): what a
// sweep does the same whether its points run in local workers or on MPI ranks.
#include "sweep/sweep_session.hpp"

#include <signal.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/results_dir.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/hash.hpp"
#include "qtrader/version.hpp"
#include "sweep/sweep_report.hpp"
#include "sweep/sweep_store.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

volatile std::sig_atomic_t g_stop_signal = 0;
void on_stop_signal(int sig) { g_stop_signal = sig; }

std::string point_dir(const std::string& sweep_dir, std::size_t point, std::size_t total) {
  const std::size_t width = std::max<std::size_t>(4, fmt::format("{}", total ? total - 1 : 0).size());
  return (fs::path(sweep_dir) / "points" / fmt::format("{:0{}}", point, width)).string();
}

}  // namespace

EngineOptions sweep_engine_options(const SweepOptions& options) {
  EngineOptions engine_options = options.engine;
  engine_options.cache_market_data = true;
  return engine_options;
}

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

PointRunner::PointRunner(Engine& engine, const SweepOptions& options, std::string sweep_dir)
    : engine_(engine), options_(options), dir_(std::move(sweep_dir)), total_(grid_size(options.axes)) {}

std::string PointRunner::run(std::size_t point) const {
  const std::string dir = point_dir(dir_, point, total_);
  SweepRow row;
  row.point = point;
  row.values = grid_values(options_.axes, point);
  try {
    std::error_code ignored;
    fs::remove_all(dir, ignored);  // what an interrupted attempt left
    engine_.run(options_.backtest,
                point_run_options(options_.axes, point, dir, options_.start_date, options_.end_date));
    return row_message(sweep_row_from_results(point, row.values, dir));
  } catch (const ScriptError& e) {
    row.error = e.traceback().empty() ? e.what() : fmt::format("{}\n{}", e.what(), e.traceback());
  } catch (const std::exception& e) {
    row.error = e.what();
  }
  row.status = "failed";
  return row_message(row);
}

struct SweepSignals::Saved {
  struct sigaction int_ {}, term_ {}, pipe_ {};
};

SweepSignals::SweepSignals() : saved_(std::make_unique<Saved>()) {
  g_stop_signal = 0;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll() returns at once
  sigaction(SIGINT, &sa, &saved_->int_);
  sigaction(SIGTERM, &sa, &saved_->term_);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &saved_->pipe_);
}

SweepSignals::~SweepSignals() {
  sigaction(SIGINT, &saved_->int_, nullptr);
  sigaction(SIGTERM, &saved_->term_, nullptr);
  sigaction(SIGPIPE, &saved_->pipe_, nullptr);
}

bool SweepSignals::stop_requested() { return g_stop_signal != 0; }

SweepSession::SweepSession(Engine& engine, const SweepOptions& options) : options_(options) {
  if (options.axes.empty()) throw SweepError("no --param: a sweep needs at least one");
  std::set<std::string> names;
  for (const auto& a : options.axes)
    if (!names.insert(a.name).second) throw SweepError(fmt::format("--param {} is given twice", a.name));
  const std::size_t total = grid_size(options.axes);
  const std::vector<std::size_t> selected = selected_points(total, options.selection);
  std::vector<std::string> axis_names;
  for (const auto& a : options.axes) axis_names.push_back(a.name);
  engine.check_param_names(options.backtest, axis_names);

  // The sweep's folder: a new one, or the folder of an earlier run of the
  // same sweep (same grid, backtest and system files), whose finished points
  // are not run again.
  const std::string system = engine.system_config_path();
  if (options.output_dir.empty()) {
    const SystemConfig sc = load_system_config(system);
    RunFolder folder =
        make_results_dir(fs::path(sc.output.default_results_dir) / "sweeps", sc.output, FixedFolder::Keep);
    result_.dir = folder.path;
    lock_ = std::make_unique<FolderLock>(std::move(folder.lock));
  } else {
    fs::create_directories(options.output_dir);
    result_.dir = fs::absolute(options.output_dir).lexically_normal().string();
    // Two sweeps into one folder would clobber each other's rows; held, and
    // inherited by local workers, until the sweep ends.
    lock_ = std::make_unique<FolderLock>(result_.dir);
  }
  result_.csv = (fs::path(result_.dir) / "sweep.csv").string();
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
  {
    SweepStore store((fs::path(result_.dir) / "sweep.sqlite").string());
    const auto started = store.info();
    if (started.empty()) store.write_info(info);
    for (const auto& [key, name] : what)
      if (started.count(key) && started.at(key) != info.at(key))
        throw SweepError(fmt::format(
            "{} holds a sweep started with another {} ({} then, {} now): use another --output",
            result_.dir, name, started.at(key), info.at(key)));
    for (auto& row : store.rows(options.axes))
      if (std::binary_search(selected.begin(), selected.end(), row.point) &&
          row.values == grid_values(options.axes, row.point))
        rows_.emplace(row.point, std::move(row));
  }
  result_.progress.total = selected.size();

  // A point whose worker was killed is run again on resume: the death was
  // most likely not the point's doing (a sweep killed with its workers).
  for (auto it = rows_.begin(); it != rows_.end();)
    it = it->second.status == "failed" && is_worker_death(it->second.error) ? rows_.erase(it) : std::next(it);
  result_.progress.skipped = rows_.size();
  for (const std::size_t p : selected)
    if (!rows_.count(p)) pending_.push_back(p);
  if (options.max_points && pending_.size() > options.max_points) pending_.resize(options.max_points);
  write_sweep_csv(result_.csv, options.axes, rows_);
}

SweepSession::~SweepSession() {
  if (csv_) std::fclose(csv_);
}

const std::string& SweepSession::dir() const { return result_.dir; }

void SweepSession::start_recording() {
  store_ = std::make_unique<SweepStore>((fs::path(result_.dir) / "sweep.sqlite").string());
  csv_ = std::fopen(result_.csv.c_str(), "ab");
  if (!csv_) throw std::runtime_error(fmt::format("{}: cannot open", result_.csv));
  start_ = std::chrono::steady_clock::now();
}

bool SweepSession::record(const WorkerPool::Event& event, bool stopping) {
  if (event.died && stopping) return false;  // interrupted: run again on resume
  if (event.died && retried_.insert(event.point).second) return true;
  SweepRow row = event.died ? SweepRow{} : row_from_message(event.line);
  if (event.died) {
    row.point = event.point;
    row.values = grid_values(options_.axes, event.point);
    row.status = "failed";
    row.error = event.reason;
  }
  record_row(std::move(row));
  return false;
}

void SweepSession::record_row(SweepRow row) {
  store_->insert(row, options_.axes);
  const std::string line = format_sweep_row(row) + "\n";
  std::fwrite(line.data(), 1, line.size(), csv_);
  std::fflush(csv_);
  auto& progress = result_.progress;
  ++progress.done;
  progress.failed += row.status != "done";
  progress.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (options_.on_point) options_.on_point(row, progress);
  rows_[row.point] = std::move(row);
}

SweepResult SweepSession::finish(bool interrupted) {
  if (csv_) std::fclose(csv_);
  csv_ = nullptr;
  store_.reset();
  result_.interrupted = interrupted;
  // The final file in point order, whatever order the points finished in.
  write_sweep_csv(result_.csv, options_.axes, rows_);
  write_sweep_report(result_.dir, sweep_title(options_.backtest, options_.axes), options_.axes, rows_,
                     result_.progress.total, options_.metric);
  SweepResult out = result_;
  for (const auto& [point, row] : rows_) out.rows.push_back(row);
  return out;
}

}  // namespace qtrader
