// Owns the sessions while the server runs: creates them (the row, the
// session's folder, its backtest.yaml), runs at most max_running at a time
// (the rest wait, `started`, in submission order), follows each one's
// process, records its progress and end in the store and tells the
// WebSocket clients. Everything runs on the server's one io_context thread.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "serve/backtest_submission.hpp"
#include "serve/serve_config.hpp"
#include "serve/session_messages.hpp"
#include "serve/session_process.hpp"
#include "serve/session_store.hpp"
#include "serve/ws_broadcaster.hpp"

namespace qtrader::serve {

class SessionService {
 public:
  SessionService(boost::asio::io_context& io, const ServeConfig& config, SessionStore& store,
                 WsBroadcaster& broadcaster);
  ~SessionService();

  // Checks the submission (throws SubmissionError) and queues its session.
  SessionRecord start(const BacktestSubmission& submission);
  enum class StopResult { Unknown, Finished, Stopping };
  StopResult stop(const std::string& session_id);
  // Running and queued sessions, in submission order.
  std::vector<std::string> active() const;
  // Sessions the last server had queued go back in the queue.
  void resume_queued();
  // Ends every child (the server is shutting down); their sessions read failed on restart.
  void kill_all();

  std::string sessions_root() const;

 private:
  struct Running {
    std::shared_ptr<SessionProcess> process;
    std::chrono::steady_clock::time_point started, last_sent;
    std::optional<ProgressFigures> progress;
    bool stop_requested = false;
    std::optional<SessionEnd> end;  // as the worker reported it
  };

  void launch_queued();
  void launch(const std::string& id);
  void on_worker_line(const std::string& id, const std::string& line);
  void on_worker_exit(const std::string& id, int wait_status);
  void finish(const std::string& id, const SessionEnd& end);
  void send_progress(const std::string& id, Running& r);
  void heartbeat();

  boost::asio::io_context& io_;
  const ServeConfig& config_;
  SessionStore& store_;
  WsBroadcaster& broadcaster_;
  std::deque<std::string> queue_;
  std::map<std::string, Running> running_;
  boost::asio::steady_timer heartbeat_;
};

}  // namespace qtrader::serve
