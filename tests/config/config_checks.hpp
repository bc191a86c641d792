// Helpers for the config tests: fixture paths and checks on a thrown ConfigError.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "qtrader/errors.hpp"

namespace qtrader::test {

inline std::string config_fixture(const std::string& name) {
  return std::string(QTRADER_FIXTURES_DIR) + "/config/" + name;
}

// An absolute, normalized path under the config fixtures, as the loaders store paths.
inline std::string resolved_fixture(const std::string& relative) {
  return (std::filesystem::path(QTRADER_FIXTURES_DIR) / "config" / relative)
      .lexically_normal()
      .string();
}

// The ConfigError `f` throws; fails the test when it throws nothing.
template <class F>
ConfigError config_error_of(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("expected a ConfigError, none was thrown");
  throw std::logic_error("unreachable");
}

// Checks every part of the error and that the message shows them as "FILE:LINE: key 'KEY': ".
inline void check_config_error(const ConfigError& e, const std::string& file, int line,
                               const std::string& key, const std::string& reason) {
  INFO("what(): " << e.what());
  CHECK(e.file() == file);
  CHECK(e.line() == line);
  CHECK(e.key() == key);
  CHECK(e.reason() == reason);
  const std::string prefix =
      file + ":" + std::to_string(line) + ": " + (key.empty() ? "" : "key '" + key + "': ");
  CHECK(std::string(e.what()) == prefix + reason);
}

}  // namespace qtrader::test
