// yaml-cpp 0.7 never returns from a document whose first token is a ','
// (it allocates nodes until memory runs out); the reader refuses such a file
// at the comma's line first (found by fuzz/yaml_config_fuzzer).
#include <catch2/catch.hpp>

#include "config_checks.hpp"
#include "qtrader/config.hpp"

using namespace qtrader;
using test::check_config_error;
using test::config_error_of;
using test::config_fixture;

TEST_CASE("yaml: a comma opening the document is a syntax error, not a hang", "[config][fuzz]") {
  const std::string file = config_fixture("yaml_comma_first.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 3, "",
                     "YAML syntax error: a ',' outside [ ] or { } before any value");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 3, "",
                     "YAML syntax error: a ',' outside [ ] or { } before any value");
}

TEST_CASE("yaml: a comma opening a document after --- is a syntax error, not a hang", "[config][fuzz]") {
  const std::string file = config_fixture("yaml_comma_after_separator.yaml");
  check_config_error(config_error_of([&] { load_data_sources(file); }), file, 4, "",
                     "YAML syntax error: a ',' outside [ ] or { } before any value");
}

TEST_CASE("yaml: a comma after the first node's tag is a syntax error, not a hang", "[config][fuzz]") {
  const std::string file = config_fixture("yaml_tag_then_comma.yaml");
  check_config_error(config_error_of([&] { load_system_config(file); }), file, 1, "",
                     "YAML syntax error: a ',' outside [ ] or { } before any value");
}

// `a: &a [*a]` makes the document a cycle. The expansion check once copied each
// pending node's key, which grew with the depth: 2 GB from a 400-byte file.
TEST_CASE("yaml: an alias inside its own anchor is refused by depth, in bounded memory",
          "[config][fuzz]") {
  const std::string file = config_fixture("yaml_self_alias.yaml");
  const auto e = config_error_of([&] { load_backtest_config(file); });
  const std::string key = "strategies[0].config.loop";
  std::string deepest = key;
  for (int level = 0; level < 60; ++level) deepest += "[1]";
  check_config_error(e, file, 8, deepest,
                     "the YAML nests more than 64 levels deep (an alias inside its own anchor?)");
}

// yaml-cpp 0.7's LoadAll never returned when a ',' followed a finished
// top-level node that is not a block mapping: one more empty document each
// round, the comma never consumed (found by fuzz/yaml_config_fuzzer).
TEST_CASE("yaml: a comma after the document's value is a syntax error, not a hang", "[config][fuzz]") {
  const std::string file = config_fixture("yaml_comma_after_value.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 3, "",
                     "YAML syntax error: a ',' outside [ ] or { } after the document's value");
  check_config_error(config_error_of([&] { load_data_sources(file); }), file, 3, "",
                     "YAML syntax error: a ',' outside [ ] or { } after the document's value");
}
