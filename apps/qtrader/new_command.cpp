// qtrader new strategy|risk|lib NAME [--dir D]: a working, documented skeleton
// and its tests (docs/strategy-tests.md, "Starting from a skeleton"). Writes
// nothing when any of its files exists already or the name is taken.
//   strategy: D/NAME.lua, D/tests/NAME_test.lua
//   risk:     D/risk/NAME.lua, D/tests/NAME_test.lua
//   lib:      D/NAME/{qtrader-lib.yaml, README.md, NAME_trend.lua, tests/NAME_trend_test.lua}
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "scaffold_templates.hpp"

namespace {

namespace fs = std::filesystem;

struct NewArgs {
  std::string what;  // strategy | risk | lib
  std::string name;
  std::string dir = ".";
};

using Files = std::vector<std::pair<fs::path, std::string>>;  // path, content

std::string filled(std::string_view text, const std::string& name, const std::string& strategy = {}) {
  std::string out(text);
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{{NAME}}", name}, {"{{STRATEGY}}", strategy}}) {
    for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
      out.replace(at, key.size(), value);
  }
  return out;
}

// A registry name and a file stem: lowercase, so the same on every file
// system; no "_test" ending, which marks test files.
std::string name_problem(const std::string& name) {
  static const std::regex valid("[a-z][a-z0-9_]{0,63}");
  if (!std::regex_match(name, valid))
    return "names are 1 to 64 lowercase letters, digits and '_', starting with a letter";
  if (name.ends_with("_test")) return "a name ending in _test would be taken for a test file";
  return {};
}

// The built-in script of that name, if any: a script of the same name in a
// script folder would stop every run that scans both.
std::string builtin_clash(const std::string& name, qtrader::ScriptKind kind) {
  const qtrader::Engine engine;
  qtrader::ScriptRoots roots;
  roots.builtin_strategies = engine.root() + "/strategies";
  roots.modules = engine.root() + "/scripts";
  const qtrader::ScriptRegistry registry(roots);
  const qtrader::RegistryEntry* e = registry.find(name, kind);
  return e ? e->path : std::string();
}

Files files_for(const NewArgs& a) {
  const fs::path dir(a.dir);
  const std::string& n = a.name;
  if (a.what == "strategy")
    return {{dir / (n + ".lua"), filled(qtrader::scaffold::kStrategy, n)},
            {dir / "tests" / (n + "_test.lua"), filled(qtrader::scaffold::kStrategyTest, n)}};
  if (a.what == "risk")
    return {{dir / "risk" / (n + ".lua"), filled(qtrader::scaffold::kRisk, n)},
            {dir / "tests" / (n + "_test.lua"), filled(qtrader::scaffold::kRiskTest, n)}};
  const fs::path lib = dir / n;
  const std::string strategy = n + "_trend";
  return {{lib / "qtrader-lib.yaml", filled(qtrader::scaffold::kLibManifest, n)},
          {lib / "README.md", filled(qtrader::scaffold::kLibReadme, n, strategy)},
          {lib / (strategy + ".lua"), filled(qtrader::scaffold::kStrategy, strategy)},
          {lib / "tests" / (strategy + "_test.lua"), filled(qtrader::scaffold::kStrategyTest, strategy)}};
}

int new_command(const NewArgs& a) {
  try {
    if (const std::string p = name_problem(a.name); !p.empty()) {
      fmt::print(stderr, "error: '{}' cannot be a {} name: {}\n", a.name, a.what, p);
      return 2;
    }
    if (a.what != "lib") {
      const auto kind = a.what == "risk" ? qtrader::ScriptKind::RiskPolicy : qtrader::ScriptKind::Strategy;
      if (const std::string clash = builtin_clash(a.name, kind); !clash.empty()) {
        fmt::print(stderr, "error: '{}' is the name of a built-in {} ({}); choose another name\n", a.name,
                   qtrader::to_string(kind), clash);
        return 2;
      }
    } else if (!builtin_clash(a.name + "_trend", qtrader::ScriptKind::Strategy).empty()) {
      fmt::print(stderr, "error: '{}_trend' is the name of a built-in strategy; choose another name\n", a.name);
      return 2;
    }
    const Files files = files_for(a);
    std::error_code ec;
    for (const auto& [path, text] : files) {
      if (fs::exists(path, ec)) {
        fmt::print(stderr, "error: {} exists already; nothing was written\n", path.string());
        return 2;
      }
    }
    for (const auto& [path, text] : files) {
      fs::create_directories(path.parent_path());
      std::ofstream out(path, std::ios::binary);
      out << text;
      if (!out) {
        fmt::print(stderr, "error: cannot write {}\n", path.string());
        return 1;
      }
      fmt::print("created {}\n", path.string());
    }
    const std::string folder = a.what == "lib" ? (fs::path(a.dir) / a.name).string() : a.dir;
    fmt::print("next: qtrader test {}   (docs/strategy-tests.md)\n", folder);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}

}  // namespace

namespace qtrader::cli {

void add_new_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("new", "Write a documented skeleton with its tests: strategy, risk policy or library");
  cmd->require_subcommand(1);
  for (const auto& [what, help] : {std::pair<const char*, const char*>{"strategy", "A strategy: DIR/NAME.lua and DIR/tests/NAME_test.lua"},
                                   {"risk", "A risk policy: DIR/risk/NAME.lua and DIR/tests/NAME_test.lua"},
                                   {"lib", "A library folder DIR/NAME with qtrader-lib.yaml, an example strategy and its test"}}) {
    auto args = std::make_shared<NewArgs>();
    args->what = what;
    auto* sub = cmd->add_subcommand(what, help);
    sub->add_option("name", args->name, "Its name (lowercase letters, digits, '_')")->required();
    sub->add_option("--dir", args->dir, "Folder to write into (default: .)");
    sub->callback([args, &exit_code] { exit_code = new_command(*args); });
  }
}

}  // namespace qtrader::cli
