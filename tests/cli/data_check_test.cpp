// qtrader data check (issue 11, item 7): one fixture per defect
// (tests/fixtures/data_check/README.md), exit 2 on errors, 0 when clean.
#include <catch2/catch.hpp>

#include <string>

#include "shell_command.hpp"

namespace {

const std::string kDir = std::string(QTRADER_FIXTURES_DIR) + "/data_check/";
const std::string kSystem = " --system " + std::string(QTRADER_FIXTURES_DIR) + "/cli/system.yaml";

qtrader::test::ShellResult check(const std::string& args) {
  return qtrader::test::run_shell(std::string(QTRADER_BINARY) + " data check " + args + kSystem +
                                  " 2>&1");
}

}  // namespace

TEST_CASE("data check: a clean folder prints each symbol's span and exits 0", "[cli][data-check]") {
  const auto r = check(kDir + "clean");
  CHECK(r.status == 0);
  CHECK(r.out ==
        "symbol       source     first               last                    bars  status\n"
        "CLEAN        data       2024-01-02          2024-01-05                 4  ok\n"
        "1 symbol(s), 0 error(s), 0 gap(s)\n");
}

TEST_CASE("data check: each defect is named with its file and line, exit 2", "[cli][data-check]") {
  const auto r = check(kDir + "defects");
  CHECK(r.status == 2);
  const std::string d = kDir + "defects/";
  CHECK(r.out ==
        "symbol       source     first               last                    bars  status\n"
        "DUP          data       2024-01-02          2024-01-03                 2  1 error(s)\n"
        "  error: " + d + "DUP.csv:4: duplicate timestamp 2024-01-03: the previous row has 2024-01-03 too\n"
        "GAP          data       2024-01-02          2024-01-16                 4  ok\n"
        "  gap: " + d + "GAP.csv: 7 weekdays missing between 2024-01-03 and 2024-01-15\n"
        "HILO         data       2024-01-02          2024-01-02                 1  1 error(s)\n"
        "  error: " + d + "HILO.csv:3: high 9.5 is below low 10\n"
        "NEG          data       2024-01-02          2024-01-03                 2  1 error(s)\n"
        "  error: " + d + "NEG.csv:4: column 'Low': zero price '0': prices must be positive\n"
        "OHLC         data       2024-01-02          2024-01-05                 4  2 error(s)\n"
        "  error: " + d + "OHLC.csv: bar 2024-01-03: close 12 is outside low..high 10..11.5\n"
        "  error: " + d + "OHLC.csv: bar 2024-01-04: open 9 is outside low..high 10.5..12\n"
        "ORDER        data       2024-01-02          2024-01-04                 2  1 error(s)\n"
        "  error: " + d + "ORDER.csv:4: timestamp 2024-01-03 is out of order: it follows 2024-01-04\n"
        "6 symbol(s), 6 error(s), 1 gap(s)\n");
}

TEST_CASE("data check: --max-gap raises the gap threshold", "[cli][data-check]") {
  const auto r = check(kDir + "defects --max-gap 7");
  CHECK(r.status == 2);
  CHECK_THAT(r.out, !Catch::Contains("gap: "));
  CHECK_THAT(r.out, Catch::EndsWith("6 symbol(s), 6 error(s), 0 gap(s)\n"));
}

TEST_CASE("data check: a backtest's universe, a named source, bad targets", "[cli][data-check]") {
  const std::string sources = std::string(QTRADER_FIXTURES_DIR) + "/sources/";
  auto r = check(sources + "inline.yaml");
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains(
                        "BBB          mine       2024-01-02          2024-01-09                 6  ok\n"));
  r = check(sources + "no_data.yaml --data " + sources + "own_data");
  CHECK(r.status == 0);
  CHECK_THAT(r.out, Catch::EndsWith("2 symbol(s), 0 error(s), 0 gap(s)\n"));
  r = check("broken");  // tests/fixtures/cli/data_sources.yaml: bad_data/BAD.csv
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("BAD.csv:4:"));
  r = check("nosuch");
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::StartsWith("error: nosuch:0: not a backtest file, a folder or a source of "));
}
