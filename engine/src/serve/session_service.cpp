#include "serve/session_service.hpp"

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace qtrader::serve {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// backtest.progress: at most 10 a second per session, and at least one a
// second while a session runs (the last figures again when a slow timestamp
// gives no new ones).
constexpr auto kMinProgressGap = std::chrono::milliseconds(100);
constexpr auto kMaxProgressGap = std::chrono::milliseconds(1000);
constexpr auto kHeartbeat = std::chrono::milliseconds(250);

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

SessionEnd ended(SessionStatus status, std::string error, double duration = 0) {
  SessionEnd end;
  end.status = status;
  end.error_message = std::move(error);
  end.duration_seconds = duration;
  return end;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

SessionService::SessionService(boost::asio::io_context& io, const ServeConfig& config, SessionStore& store,
                               WsBroadcaster& broadcaster)
    : io_(io), config_(config), store_(store), broadcaster_(broadcaster), heartbeat_(io) {
  fs::create_directories(sessions_root());
  heartbeat();
}

SessionService::~SessionService() { kill_all(); }

std::string SessionService::sessions_root() const { return (fs::path(config_.results_dir) / "sessions").string(); }

SessionRecord SessionService::start(const BacktestSubmission& submission) {
  // Checked in a folder of its own, which becomes the session's once it passes.
  std::string pending = (fs::path(sessions_root()) / ".pending-XXXXXX").string();
  if (!mkdtemp(pending.data())) throw std::runtime_error("cannot create a folder in " + sessions_root());
  const fs::path backtest_file = fs::path(pending) / "backtest.yaml";
  try {
    write_file(backtest_file, submission.file_text);
    check_submission(submission.saved_path.empty() ? backtest_file.string() : submission.saved_path,
                     submission.saved_path.empty() ? "backtest" : fs::path(submission.saved_path).filename().string(),
                     submission, config_);
    if (!submission.saved_path.empty()) write_file(fs::path(pending) / "saved_path", submission.saved_path);
    write_file(fs::path(pending) / "params.json", submission.params_json);
  } catch (...) {
    std::error_code ec;
    fs::remove_all(pending, ec);
    throw;
  }
  SessionRecord record = store_.create(submission.submitted, submission.params_json,
                                       submission.acceleration_factor, sessions_root());
  fs::rename(pending, fs::path(sessions_root()) / record.session_id);
  queue_.push_back(record.session_id);
  // Launched from the loop, after the client has its answer.
  boost::asio::post(io_, [this] { launch_queued(); });
  return record;
}

void SessionService::resume_queued() {
  for (const auto& r : store_.with_status(SessionStatus::Started)) queue_.push_back(r.session_id);
  launch_queued();
}

void SessionService::launch_queued() {
  while (running_.size() < config_.max_running && !queue_.empty()) {
    const std::string id = queue_.front();
    queue_.pop_front();
    launch(id);
  }
}

void SessionService::launch(const std::string& id) {
  const auto record = store_.find(id);
  if (!record) return;
  const fs::path dir = fs::path(sessions_root()) / id;
  const std::string saved = fs::exists(dir / "saved_path") ? read_file(dir / "saved_path") : std::string();
  WorkerCommand command;
  command.executable = config_.executable;
  command.args = {"__serve-session", saved.empty() ? (dir / "backtest.yaml").string() : saved,
                  "--results-dir", record->results_dir, "--system", config_.system_config,
                  "--acceleration", fmt::format("{}", record->acceleration_factor)};
  const auto params = nlohmann::json::parse(record->params, nullptr, false);
  if (params.is_object())
    for (const auto& [name, value] : params.items())
      command.args.push_back("--param=" + name + "=" + (value.is_string() ? value.get<std::string>() : value.dump()));
  command.log_file = (dir / "session.log").string();
  command.working_dir = dir.string();
  Running& r = running_[id];
  r.started = r.last_sent = Clock::now();
  try {
    r.process = SessionProcess::spawn(
        io_, command, [this, id](const std::string& line) { on_worker_line(id, line); },
        [this, id](int status) { on_worker_exit(id, status); });
  } catch (const std::exception& e) {
    running_.erase(id);
    finish(id, ended(SessionStatus::Failed, std::string("cannot start the session: ") + e.what()));
    return;
  }
  store_.set_running(id);
  spdlog::info("session {} running (pid {})", id, r.process->pid());
}

void SessionService::on_worker_line(const std::string& id, const std::string& line) {
  auto it = running_.find(id);
  if (it == running_.end()) return;
  Running& r = it->second;
  const auto msg = nlohmann::json::parse(line, nullptr, false);
  if (!msg.is_object() || !msg.contains("event")) return;
  const std::string event = msg.value("event", "");
  if (event == "progress") {
    ProgressFigures p;
    p.progress_pct = msg.value("progress_pct", 0.0);
    p.current_timestamp = msg.value("current_timestamp", "");
    p.current_pnl = msg.value("current_pnl", 0.0);
    p.open_positions = msg.value("open_positions", 0LL);
    p.equity = msg.value("equity", 0.0);
    r.progress = p;
    store_.record_progress(id, p.progress_pct, p.current_timestamp, p.current_pnl, p.equity);
    if (Clock::now() - r.last_sent >= kMinProgressGap) send_progress(id, r);
  } else if (event == "completed") {
    SessionEnd end = ended(SessionStatus::Completed, "");
    end.final_pnl = msg.value("final_pnl", 0.0);
    end.total_trades = msg.value("total_trades", 0LL);
    if (msg.contains("win_rate") && msg["win_rate"].is_number()) end.win_rate = msg["win_rate"].get<double>();
    r.end = end;
    // The figures at the end, whether or not a progress line came before it.
    ProgressFigures last = r.progress.value_or(ProgressFigures{});
    last.progress_pct = 100;
    last.current_timestamp = msg.value("last_timestamp", last.current_timestamp);
    last.current_pnl = *end.final_pnl;
    last.equity = msg.value("final_equity", last.equity);
    r.progress = last;
  } else if (event == "failed" || event == "stopped") {
    SessionEnd end = ended(event == "failed" ? SessionStatus::Failed : SessionStatus::Stopped, msg.value("error", ""));
    r.end = end;
  }
}

void SessionService::send_progress(const std::string& id, Running& r) {
  if (!r.progress) return;
  r.last_sent = Clock::now();
  broadcaster_.publish(id, progress_message(id, *r.progress));
}

void SessionService::heartbeat() {
  for (auto& [id, r] : running_)
    if (!r.end && Clock::now() - r.last_sent >= kMaxProgressGap) send_progress(id, r);
  heartbeat_.expires_after(kHeartbeat);
  heartbeat_.async_wait([this](boost::system::error_code ec) {
    if (!ec) heartbeat();
  });
}

void SessionService::on_worker_exit(const std::string& id, int wait_status) {
  auto it = running_.find(id);
  if (it == running_.end()) return;
  Running r = std::move(it->second);
  running_.erase(it);
  SessionEnd end;
  if (r.end) {
    end = *r.end;
  } else if (r.stop_requested) {
    end = ended(SessionStatus::Stopped, "stopped: the session's process was killed");
  } else if (WIFSIGNALED(wait_status)) {
    end = ended(SessionStatus::Failed,
                fmt::format("the session's process ended by signal {} (see session.log)", WTERMSIG(wait_status)));
  } else {
    end = ended(SessionStatus::Failed,
                fmt::format("the session's process exited with status {} without a result (see session.log)",
                            WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1));
  }
  end.duration_seconds = seconds_since(r.started);
  if (r.progress) {
    // The last figures the run reached stay with it.
    store_.record_progress(id, r.progress->progress_pct, r.progress->current_timestamp, r.progress->current_pnl,
                           r.progress->equity);
  }
  finish(id, end);
  // A process that has gone leaves a free place.
  boost::asio::post(io_, [this] { launch_queued(); });
}

void SessionService::finish(const std::string& id, const SessionEnd& end) {
  store_.finish(id, end);
  spdlog::info("session {} {}", id, to_string(end.status));
  switch (end.status) {
    case SessionStatus::Completed:
      broadcaster_.publish(id, completed_message(id, end.final_pnl.value_or(0), end.total_trades.value_or(0),
                                                 end.win_rate, end.duration_seconds));
      break;
    case SessionStatus::Stopped: {
      const auto rec = store_.find(id);
      broadcaster_.publish(id, stopped_message(id, rec ? rec->progress_pct : 0, end.duration_seconds));
      break;
    }
    default: broadcaster_.publish(id, failed_message(id, end.error_message)); break;
  }
}

SessionService::StopResult SessionService::stop(const std::string& id) {
  if (auto q = std::find(queue_.begin(), queue_.end(), id); q != queue_.end()) {
    queue_.erase(q);
    finish(id, ended(SessionStatus::Stopped, "stopped before it started"));
    return StopResult::Stopping;
  }
  if (auto it = running_.find(id); it != running_.end()) {
    it->second.stop_requested = true;
    it->second.process->stop();
    return StopResult::Stopping;
  }
  return store_.find(id) ? StopResult::Finished : StopResult::Unknown;
}

std::vector<std::string> SessionService::active() const {
  std::vector<std::string> ids;
  for (const auto& [id, r] : running_) ids.push_back(id);
  ids.insert(ids.end(), queue_.begin(), queue_.end());
  std::sort(ids.begin(), ids.end());
  return ids;
}

void SessionService::kill_all() {
  heartbeat_.cancel();
  for (auto& [id, r] : running_) {
    r.process->kill_now();
    store_.finish(id, ended(SessionStatus::Failed, "server stopped", seconds_since(r.started)));
  }
  running_.clear();
  queue_.clear();  // still `started`: the next server runs them
}

}  // namespace qtrader::serve
