// The script registry: names, kinds and params across roots, and clashes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_registry.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("registry: user roots first, then built-ins, with names, kinds and params", "[lua][registry]") {
  ScriptRegistry registry({{fixture("registry/user")}, fixture("registry/builtin"), ""});
  std::vector<std::string> names;
  for (const auto& e : registry.list()) names.push_back(e.name);
  CHECK(names == std::vector<std::string>{"alpha", "broken", "unnamed_strategy", "beta_risk", "gamma", "delta"});

  const RegistryEntry* alpha = registry.find("alpha", ScriptKind::Strategy);
  REQUIRE(alpha);
  CHECK(alpha->path == fixture("registry/user/alpha.lua"));
  CHECK(alpha->description == "user strategy");
  CHECK(alpha->load_error.empty());
  CHECK(alpha->content_hash != 0);
  REQUIRE(alpha->params.size() == 2);  // in declared order
  CHECK(alpha->params[0].name == "period");
  CHECK(alpha->params[0].type == ParamType::Integer);
  CHECK(alpha->params[0].default_value.number == 14);
  CHECK(alpha->params[0].min == 2);
  CHECK_FALSE(alpha->params[0].max);
  CHECK(alpha->params[0].description == "lookback");
  CHECK(alpha->params[1].name == "mode");
  CHECK(alpha->params[1].type == ParamType::String);
  CHECK(alpha->params[1].default_value.text == "fast");

  CHECK(registry.find("alpha", ScriptKind::RiskPolicy) == nullptr);
  CHECK(registry.find("beta_risk", ScriptKind::RiskPolicy)->kind == ScriptKind::RiskPolicy);
  CHECK(registry.find("unnamed_strategy", ScriptKind::Strategy) != nullptr);  // the file stem
  CHECK(registry.find("gamma", ScriptKind::Strategy)->description == "built-in");
  const RegistryEntry* delta = registry.find("delta", ScriptKind::RiskPolicy);
  REQUIRE(delta);
  REQUIRE(delta->params.size() == 1);
  CHECK(delta->params[0].default_value.number == 0.2);
  CHECK(registry.find("nope", ScriptKind::Strategy) == nullptr);

  const RegistryEntry* broken = registry.find("broken", ScriptKind::Strategy);
  REQUIRE(broken);
  CHECK_THAT(broken->load_error, Catch::Contains("broken.lua:2:"));
}

TEST_CASE("registry: the built-in scripts", "[lua][registry]") {
  ScriptRegistry registry({{}, builtin_strategies(), std::string(QTRADER_SOURCE_DIR) + "/scripts"});
  const RegistryEntry* sma = registry.find("sma_crossover", ScriptKind::Strategy);
  REQUIRE(sma);
  CHECK(sma->load_error.empty());
  REQUIRE(sma->params.size() == 2);
  CHECK(sma->params[0].name == "fast");
  CHECK(sma->params[0].default_value.number == 10);
  CHECK(sma->params[1].name == "slow");
  CHECK(sma->params[1].default_value.number == 30);
  CHECK_FALSE(sma->params[0].description.empty());
  const RegistryEntry* fixed = registry.find("fixed_quantity", ScriptKind::RiskPolicy);
  REQUIRE(fixed);
  CHECK(fixed->load_error.empty());
  REQUIRE(fixed->params.size() == 1);
  CHECK(fixed->params[0].default_value.number == 100);
  for (const auto& e : registry.list()) {
    INFO(e.path);
    CHECK(e.load_error.empty());
  }
}

namespace {

std::vector<std::string> param_names(const RegistryEntry& e) {
  std::vector<std::string> out;
  for (const auto& p : e.params) out.push_back(p.name);
  return out;
}

// Describes a script written to a temporary file.
RegistryEntry describe_source(const std::string& stem, const std::string& source) {
  const auto dir = std::filesystem::temp_directory_path() / ("qtrader_registry_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / (stem + ".lua")).string();
  std::ofstream(path) << source;
  RegistryEntry e = ScriptRegistry::describe(path, {{}, "", std::string(QTRADER_SOURCE_DIR) + "/scripts"});
  std::filesystem::remove(path);
  INFO(e.load_error);
  CHECK(e.load_error.empty());
  return e;
}

}  // namespace

TEST_CASE("registry: params come in the order the script declares them", "[lua][registry][params]") {
  using Names = std::vector<std::string>;
  // A table keyed by name: the order of its constructor in the source, whatever
  // comments, strings or nested tables hold; `S.params =` and ["key"] too.
  CHECK(param_names(describe_source("keyed", R"(
-- params = { a = 1, b = 2 } in a comment does not count
local S = { name = "keyed", on_bar = function() end }
--[==[ params = { c = 1 } ]==]
S.params = {
  zeta = { default = 1, description = "a } brace, params = { x = 1 } and -- in a string" },
  alpha = [[ long
    string = 1 ]],
  ["mid dle"] = { default = { 1, 2 }, type = "list" },
  beta = false,
}
return S)")) == Names{"zeta", "alpha", "mid dle", "beta"});

  // The list form states the order itself.
  const RegistryEntry listed = describe_source("listed", R"(
return { name = "listed", on_bar = function() end,
  params = { { name = "slow", default = 30, type = "integer", min = 1 }, { name = "fast", default = 10 } } })");
  CHECK(param_names(listed) == Names{"slow", "fast"});
  CHECK(listed.params[0].type == ParamType::Integer);
  CHECK(listed.params[0].min == 1);
  CHECK(listed.params[1].default_value.number == 10);

  // Params built by code: those the constructor names first, the rest by name.
  CHECK(param_names(describe_source("built", R"(
local p = { c = 1, a = 2 }
p.b = 3
return { name = "built", on_bar = function() end, params = p })")) == Names{"a", "b", "c"});
}

TEST_CASE("registry: malformed lists of params are Load errors", "[lua][registry][params]") {
  const auto error_of = [](const std::string& params) {
    const auto dir = std::filesystem::temp_directory_path() / ("qtrader_registry_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "bad_list.lua").string();
    std::ofstream(path) << "return { on_bar = function() end, params = " + params + " }";
    RegistryEntry e = ScriptRegistry::describe(path, {});
    std::filesystem::remove(path);
    return e.load_error;
  };
  CHECK_THAT(error_of("{ { default = 1 } }"), Catch::Contains("params[1] must be a table with a name"));
  CHECK_THAT(error_of("{ 5 }"), Catch::Contains("params[1] must be a table with a name"));
  CHECK_THAT(error_of("{ { name = 'a', default = 1 }, { name = 'a', default = 2 } }"),
             Catch::Contains("param 'a' is declared twice"));
  CHECK_THAT(error_of("{ { name = 'a', default = 1 }, b = 2 }"),
             Catch::Contains("a list of params cannot also have a field keyed by name ('b')"));
  CHECK_THAT(error_of("{ { name = 'a', default = 1, colour = 'red' } }"),
             Catch::Contains("param 'a': unknown field colour (expected name, default"));
}

TEST_CASE("registry: built-in params in declared order, shared risk params after a policy's own",
          "[lua][registry][params]") {
  ScriptRegistry registry({{}, builtin_strategies(), std::string(QTRADER_SOURCE_DIR) + "/scripts"});
  using Names = std::vector<std::string>;
  CHECK(param_names(*registry.find("rsi_mean_reversion", ScriptKind::Strategy)) ==
        Names{"period", "lower", "upper"});
  CHECK(param_names(*registry.find("volatility_target", ScriptKind::RiskPolicy)) ==
        Names{"target_volatility", "lookback", "periods_per_year", "max_weight", "max_gross_leverage",
              "max_net_leverage", "cash_buffer", "budgets", "use_close_proceeds", "whole_shares"});
  // A policy's own param replaces the shared one of the same name, in its own place.
  CHECK(param_names(*registry.find("max_weight", ScriptKind::RiskPolicy)) ==
        Names{"max_weight", "max_gross_leverage", "max_net_leverage", "cash_buffer", "budgets",
              "use_close_proceeds", "whole_shares"});
}
