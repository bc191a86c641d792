// The built-in strategies' own tests (strategies/tests/) pass, and a change of
// behaviour in a strategy makes its test fail with the expectation's message.
#include <catch2/catch.hpp>

#include "testkit_support.hpp"

using namespace qtrader::test;

TEST_CASE("qtrader test strategies passes every built-in strategy test", "[testkit]") {
  const auto r = qtrader_cli("test " + kSourceDir + "/strategies");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("sma_crossover_test.lua"));
  CHECK_THAT(r.out, Catch::Contains("  ok    opens on the cross up, at the signal bar's close"));
  CHECK_THAT(r.out, Catch::Contains(" 0 failed ("));
  CHECK_THAT(r.out, !Catch::Contains("FAIL"));
}

TEST_CASE("an edited threshold in a copied strategy fails its test naming the expectation", "[testkit]") {
  TempDir dir("kit-edit");
  // Renamed, as a copy beside the built-ins must be: two scripts of one name stop every run.
  std::string strategy = file_text(kSourceDir + "/strategies/sma_crossover.lua");
  strategy = replaced(strategy, "name = \"sma_crossover\"", "name = \"sma_crossover_edited\"");
  strategy = replaced(strategy, "local up, down = prev < 0 and d > 0,", "local up, down = prev < 0 and d > 1,");
  write_text(dir / "sma_crossover_edited.lua", strategy);
  std::string test = file_text(kSourceDir + "/strategies/tests/sma_crossover_test.lua");
  test = replaced(test, "strategy = \"sma_crossover\"", "strategy = \"sma_crossover_edited\"");
  const auto test_file = dir / "tests" / "sma_crossover_edited_test.lua";
  write_text(test_file, test);

  const auto r = qtrader_cli("test " + dir.str());
  INFO(r.out);
  CHECK(r.status == 1);
  // The first expectation of the case, at its line of the test file, with what the run had.
  CHECK_THAT(r.out, Catch::Contains("  FAIL  opens on the cross up, at the signal bar's close\n"));
  CHECK_THAT(r.out, Catch::Contains(test_file.string() + ":26: expected a signal {at=\"2024-01-08\", "
                                    "intention=\"open_long\", price=11, symbol=\"TEST\", tag=\"cross_up\"}, "
                                    "but none of the run's 0 signals matches"));
  CHECK_THAT(r.out, Catch::Contains("  FAIL  closes on the cross down\n"));
  // Cases the edit does not touch still pass.
  CHECK_THAT(r.out, Catch::Contains("  ok    the first defined difference only seeds: a rise from the start is no cross\n"));
  CHECK_THAT(r.out, Catch::Contains("1 passed, 3 failed (1 files)"));
}

TEST_CASE("the registry does not take the built-ins' test files for strategies", "[testkit]") {
  const auto r = qtrader_cli("list");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("sma_crossover  (strategy)"));
  CHECK_THAT(r.out, !Catch::Contains("_test"));
}
