// load_system_config: defaults for missing keys, errors for everything else.
#include <catch2/catch.hpp>

#include "config_checks.hpp"
#include "qtrader/config.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("system config: missing keys take the defaults", "[config][system]") {
  const SystemConfig cfg = load_system_config(config_fixture("system_partial.yaml"));
  CHECK(cfg.execution.commission.rate == 0.0025);
  CHECK(cfg.execution.commission.model == "percentage");
  CHECK(cfg.execution.fill_policy == "next_bar_open");
  CHECK(cfg.execution.slippage.model == "none");
  CHECK(cfg.output.event_store.backend == "memory");
  CHECK(cfg.output.event_store.filename == "events.sqlite");
  CHECK(cfg.output.default_results_dir == "results");
  CHECK(cfg.output.organize_by_date == true);
  CHECK(cfg.logging.level == "info");
  CHECK(cfg.logging.file == true);
  // Relative to the system file's folder, normalized.
  CHECK(cfg.data.sources_config == resolved_fixture("other_sources.yaml"));
}

TEST_CASE("system config: a top-level section typo is an unknown key", "[config][system][errors]") {
  const std::string file = config_fixture("system_typo.yaml");
  check_config_error(
      config_error_of([&] { load_system_config(file); }), file, 3, "execution.comission",
      "unknown key 'comission' (expected one of: fill_policy, commission, slippage); "
      "did you mean 'commission'?");
}

TEST_CASE("system config: a nested typo is an unknown key, not a default",
          "[config][system][errors]") {
  const std::string file = config_fixture("system_typo_nested.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 5,
                     "execution.commission.rte",
                     "unknown key 'rte' (expected one of: model, rate); did you mean 'rate'?");
}

TEST_CASE("system config: a value outside the allowed set", "[config][system][errors]") {
  const std::string file = config_fixture("system_bad_choice.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 5, "logging.level",
                     "expected one of: trace, debug, info, warn, error, off; got 'verbose'");
}

TEST_CASE("system config: booleans are true or false only", "[config][system][errors]") {
  const std::string file = config_fixture("system_bad_bool.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 2,
                     "output.organize_by_date", "expected true or false, got 'yes'");
}

TEST_CASE("system config: a quoted number is a string", "[config][system][errors]") {
  const std::string file = config_fixture("system_quoted_number.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 3,
                     "execution.commission.rate", "expected a number, got \"0.001\"");
}

TEST_CASE("system config: a missing file is a ConfigError", "[config][system][errors]") {
  const std::string file = config_fixture("no_such_system.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 0, "",
                     "file not found");
}
