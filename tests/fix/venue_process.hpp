// A real qtrader_fix_venue for a test, on a free port of 127.0.0.1: started
// and reaped by the object (and killed by the kernel if the test dies:
// PR_SET_PDEATHSIG). restart() starts it again on the same port and store.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "child_process.hpp"

namespace qtrader::test {

// A port nothing listens on now (the kernel's choice of an ephemeral one).
inline int free_tcp_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t n = sizeof a;
  if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(s, reinterpret_cast<sockaddr*>(&a), &n) != 0)
    throw std::runtime_error("no free port");
  close(s);
  return ntohs(a.sin_port);
}

class VenueProcess {
 public:
  // `args` after the port and store (--data, --interval-ms, ...).
  VenueProcess(std::string store, std::vector<std::string> args)
      : store_(std::move(store)), args_(std::move(args)), port_(free_tcp_port()) {
    start();
  }
  ~VenueProcess() { kill_now(SIGKILL); }
  VenueProcess(const VenueProcess&) = delete;
  VenueProcess& operator=(const VenueProcess&) = delete;

  int port() const { return port_; }
  const std::string& store() const { return store_; }

  // Sends `sig` and reaps the venue.
  void kill_now(int sig) {
    if (pid_ <= 0) return;
    kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  void restart() {
    kill_now(SIGKILL);
    start();
  }

 private:
  void start() {
    std::vector<std::string> argv_s{QTRADER_FIX_VENUE, "--port", std::to_string(port_), "--store", store_};
    argv_s.insert(argv_s.end(), args_.begin(), args_.end());
    const SpawnedChild child = spawn_child(std::move(argv_s), store_ + ".venue-stderr.log");
    pid_ = child.pid;
    std::string line;
    char c;
    while (read(child.stdout_fd, &c, 1) == 1 && c != '\n') line += c;
    close(child.stdout_fd);
    if (line.find("listening on port") == std::string::npos) {
      kill_now(SIGKILL);
      throw std::runtime_error("qtrader_fix_venue did not start: '" + line + "' (see " + store_ +
                               ".venue-stderr.log)");
    }
  }

  std::string store_;
  std::vector<std::string> args_;
  int port_;
  pid_t pid_ = -1;
};

// Polls `done` every 10 ms until it is true or `timeout` passes; its last answer.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// The rows of a CSV file the venue wrote (orders.csv, fills.csv), header dropped.
inline std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace qtrader::test
