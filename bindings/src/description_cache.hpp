// Script descriptions (a registry entry's name, kind, description and params)
// kept on disk, so a registry scan need not evaluate every script file in a
// Lua state of its own on every run (docs/benchmarks.md "Start-up").
//
// An entry's file is named by a hash of everything that shapes the
// description — the script's path and bytes, the qtrader version and commit,
// the sandbox prelude, the random seed, and the names of every module file
// `require` could find — and holds the content hash of each module the script
// required while it was described, checked again at every use. An entry can
// therefore only ever be found for the inputs that made it: an edited script
// or module, a new module file that could shadow one, another qtrader, all
// miss and are described afresh. Only descriptions that succeeded are kept (a
// script that fails to evaluate is evaluated again, so its error is current).
// The cache holds descriptions only: a run still loads its scripts into its
// own sandboxed state, so nothing here can bypass the sandbox.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/lua/script_registry.hpp"

namespace qtrader {

class DescriptionCache {
 public:
  // `dir` "" = no cache: find() misses and store() does nothing.
  // `environment`: what besides the script shapes its description (environment_key()).
  DescriptionCache(std::string dir, std::uint64_t environment);

  // The entry's name, kind, description and params; nullopt on a miss.
  std::optional<RegistryEntry> find(const std::string& path, std::string_view source) const;
  // Best effort: a folder that cannot be written only costs the next scan its speed.
  void store(const std::string& path, std::string_view source, const RegistryEntry& entry,
             const std::vector<std::string>& required_files) const;

  // The environment part of the key: version, commit, prelude, seed, `scopes`
  // (how libraries see each other) and the sorted names of every *.lua file
  // under `module_roots` (recursively).
  static std::uint64_t environment_key(const std::vector<std::string>& module_roots, std::string_view scopes,
                                       std::uint64_t random_seed);

 private:
  std::string file_for(const std::string& path, std::string_view source) const;

  std::string dir_;
  std::uint64_t environment_;
};

}  // namespace qtrader
