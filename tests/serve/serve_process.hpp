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

#include "child_process.hpp"

namespace qtrader::test {

class ServeProcess {
 public:
  // `args` after `qtrader serve`; --port 0 is added.
  explicit ServeProcess(std::vector<std::string> args, const std::string& log_file) {
    args.insert(args.begin(), {QTRADER_BINARY, "serve", "--port", "0"});
    const SpawnedChild child = spawn_child(std::move(args), log_file);
    pid_ = child.pid;
    out_ = child.stdout_fd;
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
