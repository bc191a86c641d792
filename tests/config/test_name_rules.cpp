// Symbols and strategy_ids become file names, CSV fields and JSON keys: a
// name that could escape a folder or corrupt an output is refused at its line
// (issue #14, "paths" and "output that lies or breaks").
#include <catch2/catch.hpp>

#include <fstream>

#include "config/name_rules.hpp"
#include "config_checks.hpp"
#include "qtrader/config.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;
using qtrader::config_detail::strategy_id_problem;
using qtrader::config_detail::symbol_name_problem;

namespace {

std::string backtest_with(const TempDir& dir, const std::string& id, const std::string& symbol) {
  const std::string path = (dir / "bt.yaml").string();
  std::ofstream(path, std::ios::binary)
      << "start_date: 2000-01-01\nend_date: 2000-12-31\ndata:\n  sources:\n    - name: sample\n"
      << "      universe: [ORCL]\nstrategies:\n  - strategy_id: " << id << "\n    name: sma_crossover\n"
      << "    universe: [" << symbol << "]\nrisk_policy:\n  name: fixed_quantity\n";
  return path;
}

}  // namespace

TEST_CASE("names: real-world symbols are accepted", "[config][names][hardening]") {
  for (const char* s : {"ORCL", "BRK.B", "BRK-B", "^GSPC", "ES=F", "EURUSD=X", "600519.SS", "BTC-USD",
                        "SPY_2020", "A"})
    CHECK(symbol_name_problem(s).empty());
  for (const char* id : {"sma_cross", "trend-1", "mr.v2", "_x", "S1"}) CHECK(strategy_id_problem(id).empty());
}

TEST_CASE("names: path steps, separators and bytes outside ASCII are refused", "[config][names][hardening]") {
  CHECK(symbol_name_problem("../../x/ORCL") ==
        "a symbol may hold letters, digits and . _ - ^ = @ # $ & ! + only, not '/'");
  CHECK(symbol_name_problem("/etc/passwd") ==
        "a symbol may hold letters, digits and . _ - ^ = @ # $ & ! + only, not '/'");
  CHECK(symbol_name_problem("..") == "a symbol may not start with '.'");
  CHECK(symbol_name_problem("A,B") ==
        "a symbol may hold letters, digits and . _ - ^ = @ # $ & ! + only, not ','");
  CHECK(symbol_name_problem("") == "a symbol has 1 to 64 characters");
  CHECK(symbol_name_problem(std::string(65, 'A')) == "a symbol has 1 to 64 characters");
  CHECK(strategy_id_problem("a,b") == "a strategy_id may hold letters, digits, _ - and . only, not ','");
  CHECK(strategy_id_problem("a\"b") == "a strategy_id may hold letters, digits, _ - and . only, not '\"'");
  CHECK(strategy_id_problem("a\nb") == "a strategy_id may hold letters, digits, _ - and . only, not byte 0x0A");
  CHECK(strategy_id_problem("a\xff") == "a strategy_id may hold letters, digits, _ - and . only, not byte 0xFF");
  CHECK(strategy_id_problem("-x") == "a strategy_id starts with a letter, a digit or _");
}

TEST_CASE("names: a bad strategy_id or symbol in a backtest names the file, line and key",
          "[config][names][hardening]") {
  const TempDir dir("names");
  const std::string quoted_comma = backtest_with(dir, "\"a,b\"", "ORCL");
  check_config_error(config_error_of([&] { load_backtest_config(quoted_comma); }), quoted_comma, 8,
                     "strategies[0].strategy_id",
                     "strategy_id 'a,b': a strategy_id may hold letters, digits, _ - and . only, not ','");
  const std::string ff = backtest_with(dir, "\"a\\xFF\"", "ORCL");
  check_config_error(config_error_of([&] { load_backtest_config(ff); }), ff, 8, "strategies[0].strategy_id",
                     "strategy_id 'a\\xC3\\xBF': a strategy_id may hold letters, digits, _ - and . only, "
                     "not byte 0xC3");
  const std::string traversal = backtest_with(dir, "s", "../../x/ORCL");
  check_config_error(config_error_of([&] { load_backtest_config(traversal); }), traversal, 10,
                     "strategies[0].universe[0]",
                     "symbol '../../x/ORCL': a symbol may hold letters, digits and . _ - ^ = @ # $ & ! + "
                     "only, not '/'");
}
