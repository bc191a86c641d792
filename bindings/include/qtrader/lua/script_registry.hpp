// Finds strategies and risk policies by registry name across script folders.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/lua/script_limits.hpp"
#include "qtrader/lua/script_params.hpp"

namespace qtrader {

enum class ScriptKind { Strategy, RiskPolicy };
const char* to_string(ScriptKind) noexcept;  // "strategy", "risk_policy"

struct ScriptRoots {
  std::vector<std::string> user_paths;  // a backtest's script_paths, searched first
  std::string builtin_strategies;       // <install>/strategies (risk policies in its risk/)
  std::string modules;                  // <install>/scripts: modules scripts may `require`
  // Folders `require` may load from: user paths, the built-in root, modules.
  std::vector<std::string> module_roots() const;
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
};

class ScriptRegistry {
 public:
  // Scans every root in order: each user path and its risk/ subfolder, then the
  // built-in strategies folder and its risk/ subfolder (*.lua, not recursive).
  // Each file is evaluated in a throwaway sandboxed state. Throws
  // ScriptError(Load) naming both files when two scripts share a name.
  explicit ScriptRegistry(ScriptRoots roots, ScriptLimits limits = {});

  // nullptr when no script of that kind has that name. An entry that failed to
  // evaluate matches any kind, so that loading it reports why.
  const RegistryEntry* find(std::string_view name, ScriptKind kind) const noexcept;
  // Every entry in scan order (for `qtrader list`).
  const std::vector<RegistryEntry>& list() const noexcept { return entries_; }
  const ScriptRoots& roots() const noexcept { return roots_; }

  // Reads one script's registry entry in a throwaway state (what the scan does per file).
  static RegistryEntry describe(const std::string& path, const ScriptRoots& roots,
                                const ScriptLimits& limits = {});

 private:
  ScriptRoots roots_;
  std::vector<RegistryEntry> entries_;
};

}  // namespace qtrader
