#include "testkit/backtest_runner.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "engine/prepared_run.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "testkit/run_folder.hpp"
#include "testkit/run_results.hpp"
#include "testkit/test_run_request.hpp"

namespace qtrader::testkit {

namespace fs = std::filesystem;

BacktestRunner::BacktestRunner(std::string root, SandboxConfig sandbox, std::vector<std::string> library_paths)
    : root_(std::move(root)), sandbox_(sandbox), library_paths_(std::move(library_paths)) {}

namespace {

std::string canonical(const std::string& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(fs::absolute(p), ec);
  return ec ? p : c.string();
}

void add_folder(std::vector<std::string>& paths, const std::string& folder, const std::string& builtin) {
  const std::string c = canonical(folder);
  // The built-ins are always scanned; listing their folder again would make
  // every built-in clash with itself.
  if (c == builtin || c == builtin + "/risk") return;
  if (std::find(paths.begin(), paths.end(), c) == paths.end()) paths.push_back(c);
}

}  // namespace

ParamValue BacktestRunner::operator()(const ParamValue& request_value, const std::string& test_file) const {
  const TestRunRequest request = read_test_run_request(request_value, test_file);
  const std::string builtin = canonical(root_ + "/strategies");
  std::vector<std::string> script_paths;
  for (const auto& p : library_paths_) add_folder(script_paths, p, builtin);
  for (const auto& p : request.script_paths) add_folder(script_paths, p, builtin);

  std::string strategy_name = request.strategy;
  if (request.strategy_file) {
    add_folder(script_paths, fs::path(request.strategy).parent_path().string(), builtin);
    ScriptRoots roots{script_paths, root_ + "/strategies", root_ + "/scripts", {}};
    const RegistryEntry entry = ScriptRegistry::describe(request.strategy, roots, script_limits(sandbox_));
    if (!entry.load_error.empty()) throw std::runtime_error(entry.load_error);
    strategy_name = entry.name;
  }

  const RunFolder folder(request, strategy_name, script_paths, sandbox_);
  EngineOptions engine_options;
  engine_options.system_config = folder.system_yaml();
  engine_options.root = root_;
  engine_options.data_dir = folder.data_dir();
  Engine engine(engine_options);
  RunOptions run;
  run.results_dir = folder.results_dir();
  run.quiet = true;
  run.report = false;
  try {
    const RunResult r = engine.run(folder.backtest_yaml(), run);
    return read_run_results(r.results_dir, r.summary);
  } catch (const ConfigError& e) {
    // The backtest file is ours: name the request's key, not a temporary file.
    if (e.file() != folder.backtest_yaml()) throw std::runtime_error(e.what());
    throw std::runtime_error(e.key().empty() ? fmt::format("run: {}", e.reason())
                                             : fmt::format("run: key '{}': {}", e.key(), e.reason()));
  }
}

}  // namespace qtrader::testkit
