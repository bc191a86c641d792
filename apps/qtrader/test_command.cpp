// qtrader test [LIB_OR_FOLDER] [--junit FILE] [--tap] [--system FILE]: runs the
// strategy tests (*_test.lua, docs/strategy-tests.md). Exit status: 0 every
// case passed, 1 a case or a test file failed, 2 bad usage or configuration.
#include <exception>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "testkit/test_reports.hpp"
#include "testkit/test_suite.hpp"

namespace {

struct TestArgs {
  std::string target;
  std::string junit;
  std::string system;
  bool tap = false;
};

int test_command(const TestArgs& args) {
  qtrader::testkit::SuiteResult suite;
  try {
    qtrader::EngineOptions engine_options;
    engine_options.system_config = args.system;
    const qtrader::Engine engine(engine_options);  // the root and the system.yaml in use
    suite = qtrader::testkit::run_test_suite({args.target, engine.root(), engine.system_config_path()});
  } catch (const qtrader::ConfigError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
  if (args.tap) qtrader::testkit::write_tap_report(std::cout, suite);
  else qtrader::testkit::write_console_report(std::cout, suite);
  std::cout.flush();
  if (!args.junit.empty()) {
    std::ofstream out(args.junit, std::ios::binary);
    qtrader::testkit::write_junit_report(out, suite);
    if (!out) {
      fmt::print(stderr, "error: cannot write {}\n", args.junit);
      return 2;
    }
  }
  return suite.ok() ? 0 : 1;
}

}  // namespace

namespace qtrader::cli {

void add_test_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<TestArgs>();
  auto* cmd = app.add_subcommand("test", "Run the strategy tests (*_test.lua) of a library or folder");
  cmd->add_option("target", args->target, "A library folder, a folder of tests or one test file (default: .)");
  cmd->add_option("--junit", args->junit, "Also write the results as JUnit XML to this file");
  cmd->add_flag("--tap", args->tap, "Print the results as TAP (version 13) instead of lines");
  cmd->add_option("--system", args->system, "system.yaml whose sandbox limits apply (default: the shipped one)")
      ->check(CLI::ExistingFile);
  cmd->callback([args, &exit_code] { exit_code = test_command(*args); });
}

}  // namespace qtrader::cli
