// Finds strategies and risk policies by registry name across script folders
// and libraries (docs/libraries.md).
//
// Every script lives in a namespace: "qtrader" for the built-ins, the
// manifest's name for a library (a folder with qtrader-lib.yaml), "local" for
// a folder without a manifest. Its full name is `<namespace>.<name>` for a
// strategy and `<namespace>.risk.<name>` for a risk policy; the short name
// (the script's `name`) finds it when no other script of that kind has it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "library/manifest.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/script_limits.hpp"
#include "qtrader/lua/script_params.hpp"

namespace qtrader {

class DescriptionCache;

enum class ScriptKind { Strategy, RiskPolicy };
const char* to_string(ScriptKind) noexcept;  // "strategy", "risk_policy"

struct ScriptRoots {
  std::vector<std::string> user_paths;  // a backtest's script_paths, searched first
  std::string builtin_strategies;       // <install>/strategies (risk policies in its risk/)
  std::string modules;                  // <install>/scripts: modules scripts may `require`
  // Folders of installed libraries, one library per subfolder, after the user
  // paths: the project's qtrader_libs/, then the user's (library_store.hpp).
  std::vector<std::string> library_dirs;
  // Folders `require` may load from: user paths, the built-in root, modules.
  std::vector<std::string> module_roots() const;
  // Where the scan keeps script descriptions by content hash (description_cache.hpp,
  // docs/benchmarks.md "Start-up"); "" = every file is evaluated on every scan.
  std::string description_cache;
};

// $XDG_CACHE_HOME/qtrader/scripts when that variable holds an absolute path,
// else ~/.cache/qtrader/scripts; "" when neither is set (ScriptRoots::description_cache).
std::string default_description_cache_dir();

// One namespace of scripts.
struct ScriptLibrary {
  std::string name;  // "qtrader", a manifest's name, or "local"
  std::string root;  // its folder, absolute (the built-ins': the strategies folder)
  std::optional<LibraryManifest> manifest;  // a library's; none for "qtrader" and "local"
  std::string origin;  // "script_paths", "installed" or "builtin"
};

struct RegistryEntry {
  std::string name;  // the script's `name`, else the file stem
  ScriptKind kind = ScriptKind::Strategy;
  std::string path;  // absolute
  std::string description;
  std::vector<ParamSpec> params;  // in the order the script declares them
  std::uint64_t content_hash = 0;  // FNV-1a 64 of the file, for the run's metadata
  // Non-empty when the file failed to evaluate; the entry is then listed under
  // its file stem and loading it throws ScriptError(Load) with this message.
  std::string load_error;
  std::string library;  // its namespace (ScriptLibrary::name)
  std::size_t library_index = 0;  // into ScriptRegistry::libraries()
  // "mylib.boll_mr", "mylib.risk.equal_weight", "qtrader.sma_crossover".
  std::string qualified_name() const;
};

class ScriptRegistry {
 public:
  // Scans each user path (a library when it holds qtrader-lib.yaml, else a
  // "local" folder), then each library of the library folders (one of a name
  // already seen is shadowed: warnings()), then the built-in strategies
  // folder: in each, *.lua and risk/*.lua (not recursive), every file
  // evaluated in a throwaway sandboxed state unless roots.description_cache
  // holds its description for the same bytes and surroundings. Names never clash: two scripts
  // may share a name, and only a short name that then matches both is an
  // error, when it is looked up. ConfigError for a user path's bad manifest.
  explicit ScriptRegistry(ScriptRoots roots, ScriptLimits limits = {});

  // The one script `name` (full or short) means; nullptr when none or more
  // than one does (matches() tells which). An entry that failed to evaluate
  // matches any kind, so that loading it reports why.
  const RegistryEntry* find(std::string_view name, ScriptKind kind) const noexcept;
  // Every script `name` could mean: a full name's one, else every script of
  // that kind with that short name, in scan order.
  std::vector<const RegistryEntry*> matches(std::string_view name, ScriptKind kind) const;
  // "ambiguous strategy name 'x': it could be a.x (path), b.x (path); write the full name".
  static std::string ambiguity(std::string_view name, ScriptKind kind,
                               const std::vector<const RegistryEntry*>& candidates);

  // Every entry in scan order (for `qtrader list`).
  const std::vector<RegistryEntry>& list() const noexcept { return entries_; }
  const std::vector<ScriptLibrary>& libraries() const noexcept { return libraries_; }
  // The library with a manifest of that name; nullptr when none.
  const ScriptLibrary* library(std::string_view name) const noexcept;
  const ScriptRoots& roots() const noexcept { return roots_; }
  // Libraries shadowed by another of the same name, manifests that could not be read.
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  // Where `require` looks for each library's scripts (ScriptHost::set_module_scopes).
  const std::vector<ModuleScope>& module_scopes() const noexcept { return scopes_; }

  // Reads one script's registry entry in a throwaway state (what the scan does
  // per file), or from `cache` when it holds it (and then stores it there).
  static RegistryEntry describe(const std::string& path, const ScriptRoots& roots,
                                const ScriptLimits& limits = {},
                                const std::vector<ModuleScope>& scopes = {},
                                const DescriptionCache* cache = nullptr);

 private:
  void add_library(ScriptLibrary library);
  void scan_library(std::size_t index, const ScriptLimits& limits, const DescriptionCache* cache);
  std::uint64_t environment_key(const ScriptLimits& limits) const;

  ScriptRoots roots_;
  std::vector<ScriptLibrary> libraries_;
  std::vector<ModuleScope> scopes_;  // parallel to libraries_
  std::vector<RegistryEntry> entries_;
  std::vector<std::string> warnings_;
};

}  // namespace qtrader
