// The script registry: names, kinds and params across roots, and clashes.
#include <catch2/catch.hpp>

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
  REQUIRE(alpha->params.size() == 2);
  CHECK(alpha->params[0].name == "mode");
  CHECK(alpha->params[0].type == ParamType::String);
  CHECK(alpha->params[0].default_value.text == "fast");
  CHECK(alpha->params[1].name == "period");
  CHECK(alpha->params[1].type == ParamType::Integer);
  CHECK(alpha->params[1].default_value.number == 14);
  CHECK(alpha->params[1].min == 2);
  CHECK_FALSE(alpha->params[1].max);
  CHECK(alpha->params[1].description == "lookback");

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

TEST_CASE("registry: the same name in two roots is an error naming both files", "[lua][registry]") {
  try {
    ScriptRegistry registry({{fixture("registry/user"), fixture("registry/clash")}, fixture("registry/builtin"), ""});
    FAIL("expected a clash");
  } catch (const ScriptError& e) {
    CHECK(e.kind() == ScriptError::Kind::Load);
    CHECK(e.message() == "script name 'alpha' is defined twice: in " + fixture("registry/user/alpha.lua") +
                             " and in " + fixture("registry/clash/alpha_again.lua"));
  }
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
