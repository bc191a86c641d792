// Runs a shell command line and captures its stdout and exit status, for the
// tests that drive the real qtrader binary (redirect stderr in the command
// line to capture it too: "... 2>&1").
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

namespace qtrader::test {

struct ShellResult {
  int status = -1;  // the exit status; -1 when killed by a signal
  std::string out;  // what the command wrote to stdout
};

inline ShellResult run_shell(const std::string& command) {
  ShellResult r;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

}  // namespace qtrader::test
