#include "testkit/test_suite.hpp"

#include <filesystem>
#include <functional>

#include "engine/prepared_run.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "testkit/backtest_runner.hpp"
#include "testkit/test_discovery.hpp"

namespace qtrader::testkit {

namespace fs = std::filesystem;

SuiteResult run_test_suite(const SuiteOptions& options) {
  const TestTarget target = discover_tests(options.target);
  const SystemConfig system = load_system_config(options.system_config);
  const ScriptLimits limits = script_limits(system.sandbox);
  const std::string library = fs::weakly_canonical(fs::absolute(target.library)).string();
  const BacktestRunner runner(options.root, system.sandbox, {library});
  ScriptRoots roots{{library}, options.root + "/strategies", options.root + "/scripts", {}};

  SuiteResult suite;
  for (const auto& file : target.files) {
    // A test may `require` helpers kept beside it, then the library's modules.
    std::vector<std::string> module_roots{fs::absolute(file).parent_path().string()};
    for (auto& r : roots.module_roots()) module_roots.push_back(r);
    TestFileResult r = run_test_file(file, limits, module_roots, std::cref(runner));
    if (!r.error.empty()) ++suite.file_errors;
    for (const auto& c : r.cases) ++(c.passed ? suite.passed : suite.failed);
    suite.files.push_back(std::move(r));
  }
  return suite;
}

}  // namespace qtrader::testkit
