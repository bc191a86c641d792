// Libraries in the registry: namespaces, short and full names, and where
// `require` finds a library's modules (docs/libraries.md).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "expect_error.hpp"
#include "lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_registry.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::string lib(const std::string& name) { return fixture("libraries/" + name); }
std::string modules() { return std::string(QTRADER_SOURCE_DIR) + "/scripts"; }

ScriptRegistry registry_of(std::vector<std::string> paths) {
  return ScriptRegistry({std::move(paths), builtin_strategies(), modules()});
}

std::string description_of(const ScriptRegistry& r, const std::string& name) {
  const RegistryEntry* e = r.find(name, ScriptKind::Strategy);
  REQUIRE(e);
  INFO(e->load_error);
  REQUIRE(e->load_error.empty());
  return e->description;
}

}  // namespace

TEST_CASE("libraries: a library script named like a built-in never clashes with it", "[lua][libraries]") {
  const ScriptRegistry r = registry_of({lib("clashlib")});  // the scan itself does not throw
  const RegistryEntry* builtin = r.find("qtrader.sma_crossover", ScriptKind::Strategy);
  REQUIRE(builtin);
  CHECK(builtin->path == builtin_strategies() + "/sma_crossover.lua");
  CHECK(builtin->library == "qtrader");
  const RegistryEntry* mine = r.find("clashlib.sma_crossover", ScriptKind::Strategy);
  REQUIRE(mine);
  CHECK(mine->path == lib("clashlib/sma_crossover.lua"));
  CHECK(mine->qualified_name() == "clashlib.sma_crossover");
  // Names no other script has resolve short, from the library and the built-ins alike.
  CHECK(r.find("buy_and_hold_plus", ScriptKind::Strategy) == r.find("clashlib.buy_and_hold_plus", ScriptKind::Strategy));
  CHECK(r.find("buy_and_hold", ScriptKind::Strategy)->library == "qtrader");
  CHECK(r.find("fixed_quantity", ScriptKind::RiskPolicy)->qualified_name() == "qtrader.risk.fixed_quantity");
  CHECK(r.find("qtrader.risk.fixed_quantity", ScriptKind::RiskPolicy) == r.find("fixed_quantity", ScriptKind::RiskPolicy));
}

TEST_CASE("libraries: an ambiguous short name is an error naming every candidate", "[lua][libraries]") {
  const ScriptRegistry r = registry_of({lib("clashlib")});
  CHECK(r.find("sma_crossover", ScriptKind::Strategy) == nullptr);
  const auto candidates = r.matches("sma_crossover", ScriptKind::Strategy);
  REQUIRE(candidates.size() == 2);
  CHECK(ScriptRegistry::ambiguity("sma_crossover", ScriptKind::Strategy, candidates) ==
        "strategy name 'sma_crossover' is ambiguous: it could be clashlib.sma_crossover (" +
            lib("clashlib/sma_crossover.lua") + "), qtrader.sma_crossover (" + builtin_strategies() +
            "/sma_crossover.lua); write the full name");
}

TEST_CASE("libraries: two folders without a manifest may hold one name, found only by its files", "[lua][libraries]") {
  // Before namespaces this scan threw; now only the ambiguous look-up fails.
  const ScriptRegistry r({{fixture("registry/user"), fixture("registry/clash")}, fixture("registry/builtin"), ""});
  const auto candidates = r.matches("alpha", ScriptKind::Strategy);
  REQUIRE(candidates.size() == 2);
  CHECK(ScriptRegistry::ambiguity("alpha", ScriptKind::Strategy, candidates) ==
        "strategy name 'alpha' is ambiguous: it could be local.alpha (" + fixture("registry/user/alpha.lua") +
            "), local.alpha (" + fixture("registry/clash/alpha_again.lua") +
            "); rename one of the scripts (their folders share a namespace)");
  CHECK(r.find("gamma", ScriptKind::Strategy) != nullptr);
}

TEST_CASE("libraries: require finds the library's own module whatever the search-path order", "[lua][libraries]") {
  for (const auto& order : {std::vector<std::string>{lib("liba"), lib("libb"), lib("libc")},
                            std::vector<std::string>{lib("libb"), lib("libc"), lib("liba")}}) {
    const ScriptRegistry r = registry_of(order);
    CHECK(description_of(r, "liba_strategy") == "from liba");
    CHECK(description_of(r, "libb_strategy") == "from libb");
    // libc has no helpers: those of liba, the library it requires, never libb's.
    CHECK(description_of(r, "libc_strategy") == "from liba");
  }
}

TEST_CASE("libraries: a module of a library not required is not found", "[lua][libraries]") {
  const ScriptRegistry r = registry_of({lib("liba"), lib("needs_undeclared")});
  const RegistryEntry* e = r.find("needs_strategy", ScriptKind::Strategy);
  REQUIRE(e);
  CHECK_THAT(e->load_error, Catch::Contains("require: module 'helpers.util' not found in library "
                                            "'needs_undeclared' (it requires no other library)"));
}

TEST_CASE("libraries: a folder without a manifest finds its own module first", "[lua][libraries]") {
  const ScriptRegistry r = registry_of({lib("plain1"), lib("plain2")});
  CHECK(description_of(r, "plain_strategy") == "from plain2");
  CHECK(r.find("plain_strategy", ScriptKind::Strategy)->qualified_name() == "local.plain_strategy");
}

TEST_CASE("libraries: manifest errors name the file, line and key", "[lua][libraries]") {
  auto e = expect_error<ConfigError>([] { registry_of({lib("bad_version")}); });
  CHECK(e.file() == lib("bad_version/qtrader-lib.yaml"));
  CHECK(e.line() == 2);
  CHECK(e.key() == "version");
  CHECK_THAT(e.reason(), Catch::Contains("'1.2' is not a version"));
  e = expect_error<ConfigError>([] { registry_of({lib("bad_key")}); });
  CHECK(e.line() == 3);
  CHECK(e.key() == "licence");
  e = expect_error<ConfigError>([] { registry_of({lib("reserved")}); });
  CHECK(e.line() == 2);
  CHECK(e.key() == "name");
  CHECK_THAT(e.reason(), Catch::Contains("'qtrader' is reserved"));
}
