// Drives `qtrader new` and `qtrader test` as a user does, in folders of
// their own.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "file_text.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

namespace qtrader::test {

inline const std::string kSourceDir = QTRADER_SOURCE_DIR;
inline const std::string kKitFixtures = std::string(QTRADER_FIXTURES_DIR) + "/testkit";

// stdout and stderr together, and the exit status.
inline ShellResult qtrader_cli(const std::string& args) {
  return run_shell(std::string(QTRADER_BINARY) + " " + args + " 2>&1");
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// `text` with every `from` replaced by `to`; fails the test when `from` is absent.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  REQUIRE(text.find(from) != std::string::npos);
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace qtrader::test
