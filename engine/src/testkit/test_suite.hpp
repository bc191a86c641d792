// Runs every test file of a target, each in a state of its own, with the
// sandbox limits of the given system.yaml.
#pragma once

#include <string>
#include <vector>

#include "qtrader/lua/test_file.hpp"

namespace qtrader::testkit {

struct SuiteOptions {
  std::string target;         // LIB_OR_FOLDER or one test file; empty: the current folder
  std::string root;           // the engine's root (built-in strategies and scripts)
  std::string system_config;  // whose `sandbox:` applies to the tests and their runs
};

struct SuiteResult {
  std::vector<TestFileResult> files;
  std::size_t passed = 0, failed = 0, file_errors = 0;
  bool ok() const noexcept { return failed == 0 && file_errors == 0; }
};

// Throws std::invalid_argument (no tests, no such target) and ConfigError
// (system.yaml) before running anything.
SuiteResult run_test_suite(const SuiteOptions& options);

}  // namespace qtrader::testkit
