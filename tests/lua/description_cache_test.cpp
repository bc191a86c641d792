// The registry's description cache: a later scan takes a script's
// description from the cache folder, and any change to what shaped it (the
// script, a module it required, the module files present) is a miss.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "qtrader/lua/script_registry.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Rewrites every cached description, so a scan that shows the rewritten text
// read the cache instead of evaluating the script.
void mark_cached(const fs::path& dir, const std::string& from, const std::string& to) {
  for (const auto& p : entries(dir)) {
    std::string text = read(p);
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    write(p, text.replace(at, from.size(), to));
  }
}

std::string description(const ScriptRoots& roots, const std::string& name) {
  const ScriptRegistry registry(roots);
  const RegistryEntry* e = registry.find(name, ScriptKind::Strategy);
  REQUIRE(e);
  return e->load_error.empty() ? e->description : "error: " + e->load_error;
}

}  // namespace

TEST_CASE("description cache: a second scan reads the cache and keeps every field", "[lua][registry][cache]") {
  TempDir dir("desc-cache");
  write(dir / "scripts/alpha.lua", R"(return { name = "alpha_s", description = "first",
    params = { period = { default = 14, type = "integer", min = 2, max = 1e300, description = "lookback" },
               ratio = 0.1, on = true, mode = "fast", weights = { default = { a = 0.6, b = { 1, 2 } }, type = "list" } },
    on_bar = function() end })");
  ScriptRoots roots{{(dir / "scripts").string()}, "", ""};
  roots.description_cache = (dir / "cache").string();

  const ScriptRegistry fresh(roots);
  REQUIRE(entries(dir / "cache").size() == 1);
  const ScriptRegistry cached(roots);
  REQUIRE(fresh.list().size() == 1);
  REQUIRE(cached.list().size() == 1);
  const RegistryEntry& a = fresh.list()[0];
  const RegistryEntry& b = cached.list()[0];
  CHECK(b.name == "alpha_s");
  CHECK(b.path == a.path);
  CHECK(b.content_hash == a.content_hash);
  CHECK(b.kind == a.kind);
  CHECK(b.description == "first");
  REQUIRE(b.params.size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(b.params[i].name == a.params[i].name);
    CHECK(b.params[i].type == a.params[i].type);
    CHECK(b.params[i].default_value.kind == a.params[i].default_value.kind);
    CHECK(b.params[i].default_value.number == a.params[i].default_value.number);
    CHECK(b.params[i].default_value.boolean == a.params[i].default_value.boolean);
    CHECK(b.params[i].default_value.text == a.params[i].default_value.text);
    CHECK(b.params[i].default_value.is_integer == a.params[i].default_value.is_integer);
    CHECK(b.params[i].min == a.params[i].min);
    CHECK(b.params[i].max == a.params[i].max);
    CHECK(b.params[i].description == a.params[i].description);
  }
  CHECK(b.params[0].max == 1e300);
  const auto& weights = b.params[4].default_value;  // params in declared order: period, ratio, on, mode, weights
  CHECK(b.params[4].name == "weights");
  REQUIRE(weights.kind == ParamValue::Kind::Map);
  REQUIRE(weights.map.size() == 2);
  CHECK(weights.map[0].second.number == 0.6);
  REQUIRE(weights.map[1].second.list.size() == 2);
  CHECK(weights.map[1].second.list[1].number == 2);

  mark_cached(dir / "cache", "\"first\"", "\"from the cache\"");
  CHECK(description(roots, "alpha_s") == "from the cache");
}

TEST_CASE("description cache: an edited script is described afresh", "[lua][registry][cache]") {
  TempDir dir("desc-cache");
  write(dir / "scripts/s.lua", R"(return { name = "s", description = "one", on_bar = function() end })");
  ScriptRoots roots{{(dir / "scripts").string()}, "", ""};
  roots.description_cache = (dir / "cache").string();
  CHECK(description(roots, "s") == "one");
  mark_cached(dir / "cache", "\"one\"", "\"cached\"");
  CHECK(description(roots, "s") == "cached");
  write(dir / "scripts/s.lua", R"(return { name = "s", description = "two", on_bar = function() end })");
  CHECK(description(roots, "s") == "two");
  CHECK(entries(dir / "cache").size() == 2);  // one per content; the old one is never found again
}

TEST_CASE("description cache: a changed module or a new module file is a miss", "[lua][registry][cache]") {
  TempDir dir("desc-cache");
  write(dir / "scripts/s.lua",
        R"(local m = require("helpers.text") return { name = "s", description = m.text, on_bar = function() end })");
  write(dir / "scripts/helpers/text.lua", R"(return { text = "module one" })");
  ScriptRoots roots{{(dir / "scripts").string()}, "", (dir / "modules").string()};
  roots.description_cache = (dir / "cache").string();
  CHECK(description(roots, "s") == "module one");
  mark_cached(dir / "cache", "\"module one\"", "\"cached\"");
  CHECK(description(roots, "s") == "cached");

  // The module the script required changes: its recorded hash no longer matches.
  write(dir / "scripts/helpers/text.lua", R"(return { text = "module two" })");
  CHECK(description(roots, "s") == "module two");

  // A module file appears anywhere `require` looks: the surroundings changed.
  mark_cached(dir / "cache", "\"module two\"", "\"cached again\"");
  CHECK(description(roots, "s") == "cached again");
  write(dir / "modules/other.lua", "return {}");
  CHECK(description(roots, "s") == "module two");
}

TEST_CASE("description cache: a script that fails to evaluate is never cached", "[lua][registry][cache]") {
  TempDir dir("desc-cache");
  write(dir / "scripts/bad.lua", "return { name = ");
  ScriptRoots roots{{(dir / "scripts").string()}, "", ""};
  roots.description_cache = (dir / "cache").string();
  const ScriptRegistry registry(roots);
  REQUIRE(registry.list().size() == 1);
  CHECK_THAT(registry.list()[0].load_error, Catch::Contains("bad.lua:1:"));
  CHECK(entries(dir / "cache").empty());
}

TEST_CASE("description cache: an unreadable entry is ignored and rewritten", "[lua][registry][cache]") {
  TempDir dir("desc-cache");
  write(dir / "scripts/s.lua", R"(return { name = "s", description = "real", on_bar = function() end })");
  ScriptRoots roots{{(dir / "scripts").string()}, "", ""};
  roots.description_cache = (dir / "cache").string();
  CHECK(description(roots, "s") == "real");
  const auto files = entries(dir / "cache");
  REQUIRE(files.size() == 1);
  write(files[0], "{\"format\": 1, \"path\": ");
  CHECK(description(roots, "s") == "real");
  CHECK(read(files[0]).find("\"real\"") != std::string::npos);
}
