// load_system_config: defaults for missing keys, errors for everything else.
#include <catch2/catch.hpp>

#include <fstream>

#include "config_checks.hpp"
#include "qtrader/config.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("system config: missing keys take the defaults", "[config][system]") {
  const SystemConfig cfg = load_system_config(config_fixture("system_partial.yaml"));
  CHECK(cfg.execution.commission.rate == 0.0025);
  CHECK(cfg.execution.commission.model == CommissionKind::Percentage);
  CHECK(cfg.execution.fill_policy == FillPolicy::NextBarOpen);
  CHECK(cfg.execution.slippage.model == SlippageKind::None);
  CHECK(cfg.output.event_store.backend == EventStoreBackend::Memory);
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
      "unknown key 'comission' (expected one of: fill_policy, commission, slippage, "
      "volume_limit, max_working_orders_per_strategy, impact); "
      "did you mean 'commission'?");
}

TEST_CASE("system config: a nested typo is an unknown key, not a default",
          "[config][system][errors]") {
  const std::string file = config_fixture("system_typo_nested.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 5,
                     "execution.commission.rte",
                     "unknown key 'rte' (expected one of: model, rate, minimum, maximum, amount, "
                     "tiers); did you mean 'rate'?");
}

TEST_CASE("system config: a value outside the allowed set", "[config][system][errors]") {
  const std::string file = config_fixture("system_bad_choice.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 5, "logging.level",
                     "unknown log level 'verbose' (expected one of: trace, debug, info, warn "
                     "(warning), error (critical), off; any case)");
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

TEST_CASE("system config: execution models and portfolio rules", "[config][system]") {
  const SystemConfig cfg = load_system_config(config_fixture("system_execution.yaml"));
  CHECK(cfg.execution.fill_policy == FillPolicy::SameBarClose);
  CHECK(cfg.execution.volume_limit == 0.25);
  CHECK(cfg.execution.max_working_orders_per_strategy == 500);
  CHECK(cfg.execution.commission.model == CommissionKind::Tiered);
  REQUIRE(cfg.execution.commission.tiers.size() == 2);
  CHECK(cfg.execution.commission.tiers[0].up_to == 300000);
  CHECK(cfg.execution.commission.tiers[0].rate == 0.0035);
  CHECK(cfg.execution.commission.tiers[1].up_to == 0);  // unbounded
  CHECK(cfg.execution.commission.tiers[1].rate == 0.002);
  CHECK(cfg.execution.commission.minimum == 0.35);
  CHECK(cfg.execution.slippage.model == SlippageKind::VolumeShare);
  CHECK(cfg.execution.slippage.price_impact == 0.2);
  CHECK(cfg.portfolio.lot_matching == LotMatching::Lifo);
  CHECK(cfg.portfolio.allow_short == false);
  CHECK(cfg.portfolio.borrow_fee_rate == 0.03);
  CHECK(cfg.portfolio.max_gross_leverage == 2);
  CHECK(cfg.portfolio.fractional_quantities == true);
}

TEST_CASE("system config: portfolio defaults", "[config][system]") {
  const SystemConfig cfg = load_system_config(config_fixture("system_partial.yaml"));
  CHECK(cfg.portfolio.lot_matching == LotMatching::Fifo);
  CHECK(cfg.portfolio.allow_short == true);
  CHECK(cfg.portfolio.borrow_fee_rate == 0.0);
  CHECK(cfg.portfolio.max_gross_leverage == 0.0);
  CHECK(cfg.portfolio.fractional_quantities == false);
  CHECK(cfg.execution.volume_limit == 0.0);
  CHECK(cfg.execution.max_working_orders_per_strategy == 10000);
}

TEST_CASE("system config: max_working_orders_per_strategy is a positive whole number",
          "[config][system][errors]") {
  const std::string file = config_fixture("system_bad_working_cap.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 2,
                     "execution.max_working_orders_per_strategy", "must be > 0, got '0'");
}

TEST_CASE("system config: a key of another commission model is an error",
          "[config][system][errors]") {
  const std::string file = config_fixture("system_commission_mixup.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 5,
                     "execution.commission.minimum", "does not apply to model 'percentage'");
}

TEST_CASE("system config: per_share needs its rate", "[config][system][errors]") {
  const std::string file = config_fixture("system_per_share_no_rate.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 2,
                     "execution.commission.rate", "missing required key 'rate'");
}

TEST_CASE("system config: only the last tier may be unbounded", "[config][system][errors]") {
  const std::string file = config_fixture("system_bad_tiers.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 6,
                     "execution.commission.tiers[1].up_to", "tiers must be in increasing up_to order");
}

TEST_CASE("system config: volume_limit is a share of the bar", "[config][system][errors]") {
  const std::string file = config_fixture("system_bad_volume_limit.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 2,
                     "execution.volume_limit", "must be at most 1 (a share of the bar's volume)");
}

TEST_CASE("system config: lot matching is fifo or lifo", "[config][system][errors]") {
  const std::string file = config_fixture("system_bad_lots.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 2,
                     "portfolio.lot_matching", "expected one of: fifo, lifo; got 'hifo'");
}

TEST_CASE("system config: a symbol's own impact starts from the run's and is checked as it is",
          "[config][system]") {
  test::TempDir dir("impact-config");
  const std::string file = (dir / "system.yaml").string();
  std::ofstream(file) << "execution:\n  impact:\n    model: sqrt\n    coefficient: 0.2\n    adv_window: 5\n"
                         "    symbols:\n      AAA: {coefficient: 0.4}\n      BBB: {model: none}\n";
  const SystemConfig cfg = load_system_config(file);
  CHECK(cfg.execution.impact.coefficient == 0.2);
  REQUIRE(cfg.execution.impact_symbols.size() == 2);
  CHECK(cfg.execution.impact_symbols[0].first == "AAA");
  CHECK(cfg.execution.impact_symbols[0].second.model == ImpactKind::Sqrt);
  CHECK(cfg.execution.impact_symbols[0].second.coefficient == 0.4);
  CHECK(cfg.execution.impact_symbols[0].second.adv_window == 5);
  CHECK(cfg.execution.impact_symbols[1].first == "BBB");
  CHECK(cfg.execution.impact_symbols[1].second.model == ImpactKind::None);

  const std::string bad = config_fixture("system_impact_symbols.yaml");
  check_config_error(config_error_of([&] { load_system_config(bad); }), bad, 6,
                     "execution.impact.symbols.AAA.coefficient", "does not apply to model 'none'");
}
