// One session's run in its own process: `qtrader __serve-session` (the
// server's own binary, exec'd), so a script that crashes, leaks or spins
// takes down that process only. The child writes one JSON object per line on
// a pipe (fd 3 in the child; worker_protocol.hpp); its stdout and stderr go to
// the session's log file. The child dies with the server (PR_SET_PDEATHSIG).
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>

namespace qtrader::serve {

struct WorkerCommand {
  std::string executable;          // the qtrader binary
  std::vector<std::string> args;   // after argv[0]
  std::string log_file;            // the child's stdout and stderr
  std::string working_dir;         // the child's working directory
};

class SessionProcess : public std::enable_shared_from_this<SessionProcess> {
 public:
  using LineHandler = std::function<void(const std::string& line)>;
  // wait_status as waitpid gives it.
  using ExitHandler = std::function<void(int wait_status)>;

  // Forks and execs; throws std::system_error when it cannot.
  static std::shared_ptr<SessionProcess> spawn(boost::asio::io_context& io, const WorkerCommand& command,
                                               LineHandler on_line, ExitHandler on_exit);
  ~SessionProcess();

  // SIGTERM (the run stops between two timestamps, keeping its results), then
  // SIGKILL when it has not ended `grace` later.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  // SIGKILL now, and reaped (the server is shutting down).
  void kill_now();
  pid_t pid() const noexcept { return pid_; }

 private:
  SessionProcess(boost::asio::io_context& io, pid_t pid, int read_fd, LineHandler on_line, ExitHandler on_exit);
  void read_next();
  void reap();

  pid_t pid_;
  boost::asio::posix::stream_descriptor pipe_;
  boost::asio::streambuf buffer_;
  boost::asio::steady_timer kill_timer_, reap_timer_;
  LineHandler on_line_;
  ExitHandler on_exit_;
  bool exited_ = false;
};

}  // namespace qtrader::serve
