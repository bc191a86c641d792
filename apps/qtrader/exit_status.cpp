#include "exit_status.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "qtrader/errors.hpp"
#include "qtrader/results.hpp"
#include "qtrader/sweep.hpp"

namespace qtrader::cli {

int report_failure(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const ConfigError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const DataError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const SweepError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const RunInterrupted& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 130;  // as a shell reports a command stopped by SIGINT
  } catch (const ScriptError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    if (!e.traceback().empty()) fmt::print(stderr, "{}\n", e.traceback());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}

bool check_run_dir(const std::string& dir, int& exit_code) {
  if (is_run_dir(dir)) return true;
  fmt::print(stderr, "error: {}: not a run's results folder (no equity.csv)\n", dir);
  exit_code = 2;
  return false;
}

}  // namespace qtrader::cli
