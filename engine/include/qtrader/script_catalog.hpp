// The scripts a user can name in a backtest: every strategy and risk policy
// the registry resolves, with its declared params. One description for every
// front end: `qtrader list --json`, the Python module's list_scripts().
#pragma once

#include <string>
#include <vector>

#include "qtrader/lua/script_registry.hpp"

namespace qtrader {

class Engine;

// The folders a registry searches for `script_paths` (made absolute): those
// folders, then the project's (./qtrader_libs) and the user's installed
// libraries, then the built-in scripts of engine.root().
ScriptRoots script_roots(const Engine& engine, const std::vector<std::string>& script_paths);

struct ScriptCatalog {
  // A JSON array, strategies first, then risk policies, each in the
  // registry's order: {name, kind, full_name, file, description, load_error,
  // params: [{name, type, default, min, max, description}]} (docs/cli-json.md).
  std::string json;
  std::vector<std::string> warnings;  // e.g. a script shadowed by another of its name
};

// The registry over script_roots(engine, script_paths). Throws ConfigError for a bad library manifest,
// ScriptError for two scripts of one name in one folder.
ScriptCatalog script_catalog(const Engine& engine, const std::vector<std::string>& script_paths);

}  // namespace qtrader
