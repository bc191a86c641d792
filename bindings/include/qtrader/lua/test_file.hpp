// One `*_test.lua` file of the strategy test kit (docs/strategy-tests.md), run
// in a sandboxed state of its own with the limits of strategies. The file gets
// the kit with `local t = require("qtrader.testkit")`, declares cases with
// t.test(name, body), and each body is called through the gate. The backtests
// a body asks for (t.run{...}) are run by `runner`, which the engine side
// supplies, so this layer knows nothing about the engine.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/lua/script_limits.hpp"

namespace qtrader {

// request: the table given to t.run, as a value tree (tables with keys 1..n
// are lists, other tables maps with their keys sorted). Returns the run's
// results as the table t.run hands back. Throws (any std::exception) to fail
// the calling case with the exception's message.
using TestRunner = std::function<ParamValue(const ParamValue& request, const std::string& test_file)>;

struct TestCaseResult {
  std::string name;
  bool passed = false;
  std::string message;    // why it failed: "file:line: expected ..." (empty when passed)
  std::string traceback;  // Lua's, when the failure has one
};

struct TestFileResult {
  std::string path;                  // as given
  std::vector<TestCaseResult> cases;  // in declaration order
  // Non-empty when the file itself failed (syntax error, error in its main
  // chunk, no case declared): then `cases` is empty or incomplete.
  std::string error;
};

// Runs the file at `path`. Each case's budget is limits.init_seconds and covers
// the backtests it runs. Never throws for a faulty test file; a failure of the
// runner or of a case fails that case only.
TestFileResult run_test_file(const std::string& path, const ScriptLimits& limits,
                             std::vector<std::string> module_roots, const TestRunner& runner);

}  // namespace qtrader
