// A program a test starts and owns: forked with its stdout on a pipe the test
// reads and its stderr appended to a log file, killed by the kernel if the
// test itself dies (PR_SET_PDEATHSIG). Used by the server's and the FIX
// venue's process wrappers.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace qtrader::test {

struct SpawnedChild {
  pid_t pid = -1;
  int stdout_fd = -1;  // the read end of the child's stdout; the caller closes it
};

// argv[0] is the program's path.
inline SpawnedChild spawn_child(std::vector<std::string> argv, const std::string& stderr_log) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(fds[1], 1);
    const int log = open(stderr_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log >= 0) dup2(log, 2);
    close(fds[0]);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

}  // namespace qtrader::test
