// system.yaml's sandbox section: mode and budgets of the scripts.
#include <catch2/catch.hpp>

#include "config_checks.hpp"
#include "qtrader/config.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("system config: sandbox defaults are strict with the documented budgets", "[config][system][sandbox]") {
  const SystemConfig cfg = load_system_config(config_fixture("system_partial.yaml"));
  CHECK(cfg.sandbox.mode == SandboxMode::Strict);
  CHECK(cfg.sandbox.memory_mb == 64);
  CHECK(cfg.sandbox.callback_budget_ms == 1000);
  CHECK(cfg.sandbox.init_budget_ms == 5000);
  CHECK(cfg.sandbox.max_signals_per_callback == 10000);
}

TEST_CASE("system config: the sandbox section sets mode and budgets", "[config][system][sandbox]") {
  const SystemConfig cfg = load_system_config(config_fixture("system_sandbox.yaml"));
  CHECK(cfg.sandbox.mode == SandboxMode::Trusted);
  CHECK(cfg.sandbox.memory_mb == 128);
  CHECK(cfg.sandbox.callback_budget_ms == 250);
  CHECK(cfg.sandbox.init_budget_ms == 2000);
  CHECK(cfg.sandbox.max_signals_per_callback == 50);
}

TEST_CASE("system config: a sandbox mode or budget out of range is an error at its line",
          "[config][system][sandbox][errors]") {
  std::string file = config_fixture("system_sandbox_bad_mode.yaml");
  auto e = config_error_of([&] { load_system_config(file); });
  CHECK(e.file() == file);
  CHECK(e.line() == 2);
  CHECK(e.key() == "sandbox.mode");
  file = config_fixture("system_sandbox_zero_budget.yaml");
  e = config_error_of([&] { load_system_config(file); });
  CHECK(e.line() == 3);
  CHECK(e.key() == "sandbox.callback_budget_ms");
}
