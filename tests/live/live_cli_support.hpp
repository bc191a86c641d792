// Shared by the live tests: the fixture paths and the one results folder a
// session writes under its --output.
#pragma once

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

namespace qtrader::test {

inline std::string live_fixture(const std::string& name) {
  return std::string(QTRADER_FIXTURES_DIR) + "/live/" + name;
}

// "qtrader COMMAND FILE --system live/system.yaml --output OUT ARGS"
inline std::string live_command(const std::string& command, const std::string& file, const std::string& out,
                                const std::string& args = "") {
  return std::string(QTRADER_BINARY) + " " + command + " " + live_fixture(file) + " --system " +
         live_fixture("system.yaml") + " --output " + out + " " + args;
}

// The only folder under `out` (the runs use timestamped folders).
inline std::filesystem::path only_run_in(const std::filesystem::path& out) {
  std::filesystem::path found;
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(out)) {
    found = e.path();
    ++n;
  }
  REQUIRE(n == 1);
  return found;
}

}  // namespace qtrader::test
