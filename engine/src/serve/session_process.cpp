#include "serve/session_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <istream>
#include <system_error>

#include <boost/asio/error.hpp>
#include <boost/asio/read_until.hpp>

namespace qtrader::serve {

namespace {

constexpr std::size_t kMaxLineBytes = 1 << 20;  // a worker line (an error message) longer than this is cut off

// In the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const WorkerCommand& command, const std::vector<char*>& argv, int write_fd,
                             int log_fd, pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the server died before the line above
  if (dup2(write_fd, 3) < 0 || dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0) _exit(127);
  const int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  // Nothing of the server's (its listening socket, clients, the sessions
  // database) stays open in the child.
  rlimit lim{};
  const int max_fd = getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < 65536 ? static_cast<int>(lim.rlim_cur)
                                                                                  : 65536;
  for (int fd = 4; fd < max_fd; ++fd) close(fd);
  if (!command.working_dir.empty() && chdir(command.working_dir.c_str()) != 0) _exit(127);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  execv(command.executable.c_str(), argv.data());
  _exit(127);
}

}  // namespace

std::shared_ptr<SessionProcess> SessionProcess::spawn(boost::asio::io_context& io, const WorkerCommand& command,
                                                      LineHandler on_line, ExitHandler on_exit) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  const int log_fd = open(command.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    const int e = errno;
    close(fds[0]);
    close(fds[1]);
    throw std::system_error(e, std::generic_category(), "open " + command.log_file);
  }
  std::vector<std::string> args = command.args;
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(command.executable.c_str()));
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int e = errno;
    close(fds[0]);
    close(fds[1]);
    close(log_fd);
    throw std::system_error(e, std::generic_category(), "fork");
  }
  if (pid == 0) exec_child(command, argv, fds[1], log_fd, parent);
  close(fds[1]);
  close(log_fd);
  std::shared_ptr<SessionProcess> process(
      new SessionProcess(io, pid, fds[0], std::move(on_line), std::move(on_exit)));
  process->read_next();
  return process;
}

SessionProcess::SessionProcess(boost::asio::io_context& io, pid_t pid, int read_fd, LineHandler on_line,
                               ExitHandler on_exit)
    : pid_(pid), pipe_(io, read_fd), buffer_(kMaxLineBytes), kill_timer_(io), reap_timer_(io),
      on_line_(std::move(on_line)), on_exit_(std::move(on_exit)) {}

SessionProcess::~SessionProcess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void SessionProcess::read_next() {
  auto self = shared_from_this();
  boost::asio::async_read_until(pipe_, buffer_, '\n', [self](boost::system::error_code ec, std::size_t) {
    if (self->exited_) return;  // kill_now() reaped it
    if (ec) {
      // End of the pipe: the child has exited (or is about to). Anything else
      // (a line over the limit) is a broken worker.
      if (ec != boost::asio::error::eof) kill(self->pid_, SIGKILL);
      self->reap();
      return;
    }
    std::istream in(&self->buffer_);
    std::string line;
    std::getline(in, line);
    self->on_line_(line);
    self->read_next();
  });
}

// The pipe closes as the child exits; its status follows within moments.
void SessionProcess::reap() {
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) {
    auto self = shared_from_this();
    reap_timer_.expires_after(std::chrono::milliseconds(20));
    reap_timer_.async_wait([self](boost::system::error_code) { self->reap(); });
    return;
  }
  exited_ = true;
  kill_timer_.cancel();
  on_exit_(r == pid_ ? status : 0);
}

void SessionProcess::kill_now() {
  if (exited_) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  exited_ = true;
  kill_timer_.cancel();
  reap_timer_.cancel();
  boost::system::error_code ignored;
  pipe_.close(ignored);
}

void SessionProcess::stop(std::chrono::milliseconds grace) {
  if (exited_) return;
  kill(pid_, SIGTERM);
  auto self = shared_from_this();
  kill_timer_.expires_after(grace);
  kill_timer_.async_wait([self](boost::system::error_code ec) {
    if (!ec && !self->exited_) kill(self->pid_, SIGKILL);
  });
}

}  // namespace qtrader::serve
