// A real `qtrader serve` for a test: started on a free port (--port 0, the
// port read from its first line of output), killed and reaped when the
// object goes, whatever the test did (and by the kernel if the test itself
// dies: PR_SET_PDEATHSIG).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace qtrader::test {

class ServeProcess {
 public:
  // `args` after `qtrader serve`; --port 0 is added.
  explicit ServeProcess(std::vector<std::string> args, const std::string& log_file) {
    args.insert(args.begin(), {QTRADER_BINARY, "serve", "--port", "0"});
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    const pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      dup2(fds[1], 1);
      const int log = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (log >= 0) dup2(log, 2);
      close(fds[0]);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(QTRADER_BINARY, argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fds[0];
    port_ = read_port();
  }
  ~ServeProcess() { kill_now(SIGKILL); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }

  // Sends `sig` and reaps the server; its wait status.
  int kill_now(int sig) {
    if (pid_ <= 0) return status_;
    kill(pid_, sig);
    waitpid(pid_, &status_, 0);
    pid_ = -1;
    if (out_ >= 0) close(out_);
    out_ = -1;
    return status_;
  }

 private:
  unsigned short read_port() {
    std::string line;
    char c;
    while (read(out_, &c, 1) == 1 && c != '\n') line += c;
    // "qtrader serve: listening on http://HOST:PORT/"
    const auto colon = line.rfind(':');
    if (line.find("listening on") == std::string::npos || colon == std::string::npos) {
      kill_now(SIGKILL);
      throw std::runtime_error("qtrader serve did not start: '" + line + "'");
    }
    return static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
  }

  pid_t pid_ = -1;
  int out_ = -1;
  int status_ = 0;
  unsigned short port_ = 0;
};

// The ids of live processes whose command line mentions `text` (a test's
// temporary folder): none may outlive its server.
inline std::vector<pid_t> processes_mentioning(const std::string& text) {
  std::vector<pid_t> pids;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "cmdline", std::ios::binary);
    const std::string cmdline((std::istreambuf_iterator<char>(in)), {});
    if (cmdline.find(text) == std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string pid, comm, state;
    stat >> pid >> comm >> state;
    if (state != "Z") pids.push_back(std::stoi(name));
  }
  return pids;
}

}  // namespace qtrader::test
