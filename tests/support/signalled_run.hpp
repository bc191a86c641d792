// Starts `qtrader run` on tests/fixtures/cli/slow.yaml (paced at 5 ms a bar),
// lets it run 1.5 s and sends it a signal: for the tests of how a run ends
// when it is stopped or killed mid-way.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

namespace qtrader::test {

// The run's exit status, or minus the signal that ended it.
inline int run_slow_and_signal(const std::filesystem::path& out, int sig,
                               const std::string& system_file = "system.yaml") {
  const std::string cli = std::string(QTRADER_FIXTURES_DIR) + "/cli/";
  const std::string out_s = out.string(), system = cli + system_file, backtest = cli + "slow.yaml";
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    execl(QTRADER_BINARY, QTRADER_BINARY, "run", backtest.c_str(), "--system", system.c_str(),
          "--output", out_s.c_str(), "--quiet", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(child, sig);
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace qtrader::test
