// Runs a shell command line and captures its stdout and exit status, for the
// tests that drive the real qtrader binary (redirect stderr in the command
// line to capture it too: "... 2>&1").
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "file_text.hpp"
#include "temp_dir.hpp"

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

struct CommandOutput {
  int status = -1;
  std::string out, err;  // stdout, stderr
};

// run_shell with stderr captured too (through a file of the test program's
// own temp folder, so parallel test programs never share it).
inline CommandOutput run_shell_captured(const std::string& command) {
  static int calls = 0;
  const auto err = process_temp_dir() / ("stderr-" + std::to_string(++calls) + ".txt");
  auto r = run_shell(command + " 2>" + err.string());
  return {r.status, std::move(r.out), file_text(err)};
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace qtrader::test
