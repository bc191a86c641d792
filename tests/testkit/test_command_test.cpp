// `qtrader test`: exit statuses, failure messages, TAP and JUnit output.
#include <catch2/catch.hpp>

#include "testkit_support.hpp"

using namespace qtrader::test;

namespace {

// A library with the built-in sma_crossover's test data and one case that passes,
// one that fails and one whose run is misconfigured.
void write_mixed_suite(const TempDir& dir) {
  write_text(dir / "tests" / "mixed_test.lua", R"(local t = require("qtrader.testkit")
local bars = t.daily{ start = "2024-01-02", close = { 10, 9, 8, 9, 11, 12, 10, 8, 7 } }
local function run() return t.run{ strategy = "sma_crossover", params = { fast = 2, slow = 3 },
  symbols = { "TEST" }, bars = bars, risk = { name = "fixed_quantity", params = { quantity = 10 } } } end
t.test("passes", function() run():expect_signal{ intention = "open_long", at = "2024-01-08" } end)
t.test("fails <&>", function()
  run():expect_signal{ intention = "open_long", at = "2024-01-09" }
end)
t.test("typo", function() t.run{ strategy = "sma_crossover", bars = bars, symbols = { "TEST" }, cahs = 1 } end)
)");
}

}  // namespace

TEST_CASE("a failed expectation names the file, line, expected and nearest events", "[testkit]") {
  TempDir dir("kit-cmd");
  write_mixed_suite(dir);
  const auto r = qtrader_cli("test " + dir.str());
  INFO(r.out);
  CHECK(r.status == 1);
  const std::string file = (dir / "tests" / "mixed_test.lua").string();
  CHECK_THAT(r.out, Catch::Contains("  ok    passes\n"));
  CHECK_THAT(r.out, Catch::Contains(
      "  FAIL  fails <&>\n          " + file +
      ":7: expected a signal {at=\"2024-01-09\", intention=\"open_long\"}, but none of the run's 2 signals matches\n"
      "            nearest:\n"
      "              {at=\"2024-01-08\", intention=\"open_long\"}  -- at \"2024-01-08\" instead of \"2024-01-09\"\n"
      "              {at=\"2024-01-11\", intention=\"close_long\"}  -- at \"2024-01-11\" instead of \"2024-01-09\", "
      "intention \"close_long\" instead of \"open_long\"\n"));
  CHECK_THAT(r.out, Catch::Contains("  FAIL  typo\n          " + file + ":9: run.cahs: unknown key (known: strategy,"));
  CHECK_THAT(r.out, Catch::Contains("1 passed, 2 failed (1 files)"));
}

TEST_CASE("TAP with the tap flag and JUnit XML with the junit option, the same bytes on every run", "[testkit]") {
  TempDir dir("kit-cmd");
  write_mixed_suite(dir);
  const std::string junit = (dir / "junit.xml").string();
  const auto r = qtrader_cli("test " + dir.str() + " --tap --junit " + junit);
  INFO(r.out);
  CHECK(r.status == 1);
  const std::string file = (dir / "tests" / "mixed_test.lua").string();
  CHECK_THAT(r.out, Catch::StartsWith("TAP version 13\n1..3\nok 1 - " + file + ": passes\nnot ok 2 - " + file +
                                      ": fails <&>\n  ---\n  message: |\n    " + file + ":7: expected a signal"));
  const std::string xml = file_text(junit);
  CHECK_THAT(xml, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                    "<testsuites name=\"qtrader test\" tests=\"3\" failures=\"2\" errors=\"0\">\n"
                                    "  <testsuite name=\"" + file + "\" tests=\"3\" failures=\"2\" errors=\"0\">\n"
                                    "    <testcase classname=\"" + file + "\" name=\"passes\"/>\n"
                                    "    <testcase classname=\"" + file + "\" name=\"fails &lt;&amp;&gt;\">\n"
                                    "      <failure message=\"" + file + ":7: expected a signal {at=&quot;2024-01-09&quot;"));
  qtrader_cli("test " + dir.str() + " --junit " + junit + ".2");
  CHECK(file_text(junit + ".2") == xml);
}

TEST_CASE("a broken test file fails with its line, usage errors exit 2", "[testkit]") {
  TempDir dir("kit-cmd");
  write_text(dir / "tests" / "broken_test.lua", "local t = require(\"qtrader.testkit\")\nt.test(\"x\", function() end\n");
  auto r = qtrader_cli("test " + dir.str());
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains((dir / "tests" / "broken_test.lua").string() + ":3:"));
  CHECK_THAT(r.out, Catch::Contains("0 passed, 0 failed, 1 test files could not run (1 files)"));

  r = qtrader_cli("test " + (dir / "missing").string());
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("missing: no such file or folder"));
  TempDir empty("kit-cmd");
  r = qtrader_cli("test " + empty.str());
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("no test files (*_test.lua) in this folder"));
}

TEST_CASE("a test runs in the sandbox and its case is stopped at the time budget", "[testkit]") {
  TempDir dir("kit-cmd");
  write_text(dir / "tests" / "sandbox_test.lua", R"(local t = require("qtrader.testkit")
t.test("no io", function() t.expect(io == nil and os == nil and debug == nil, "a library leaked") end)
t.test("loops", function() while true do end end)
)");
  write_text(dir / "system.yaml", "sandbox:\n  init_budget_ms: 200\n");
  const auto r = qtrader_cli("test " + dir.str() + " --system " + (dir / "system.yaml").string());
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK_THAT(r.out, Catch::Contains("  ok    no io\n"));
  CHECK_THAT(r.out, Catch::Contains("  FAIL  loops\n          " + (dir / "tests" / "sandbox_test.lua").string() +
                                    ":3: time budget of 0.2 s exceeded"));
}
