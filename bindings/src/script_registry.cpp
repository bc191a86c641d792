#include "qtrader/lua/script_registry.hpp"

#include "qtrader/hash.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <lua.hpp>

#include "host_functions.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_host.hpp"
#include "script_module.hpp"

namespace qtrader {

namespace fs = std::filesystem;

const char* to_string(ScriptKind k) noexcept {
  return k == ScriptKind::RiskPolicy ? "risk_policy" : "strategy";
}

std::vector<std::string> ScriptRoots::module_roots() const {
  std::vector<std::string> out = user_paths;
  if (!builtin_strategies.empty()) out.push_back(builtin_strategies);
  if (!modules.empty()) out.push_back(modules);
  return out;
}

namespace {

// *.lua files directly in `folder`, sorted so scans are reproducible.
std::vector<std::string> lua_files(const std::string& folder) {
  std::vector<std::string> out;
  std::error_code ec;
  if (folder.empty() || !fs::is_directory(folder, ec)) return out;
  for (const auto& e : fs::directory_iterator(folder, ec))
    if (e.is_regular_file(ec) && e.path().extension() == ".lua")
      out.push_back(fs::absolute(e.path()).lexically_normal().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

RegistryEntry ScriptRegistry::describe(const std::string& path, const ScriptRoots& roots,
                                       const ScriptLimits& limits) {
  RegistryEntry entry;
  entry.path = path;
  entry.name = file_stem(path);
  std::string source;
  if (read_text_file(path, source)) entry.content_hash = fnv1a64(source);
  try {
    ScriptHost scratch(limits, roots.module_roots());
    scratch.load_file(path);
    ScriptHeader header = read_script_header(scratch.state(), -1, path);
    if (!header.name.empty()) entry.name = std::move(header.name);
    entry.kind = header.kind;
    entry.description = std::move(header.description);
    entry.params = std::move(header.params);
  } catch (const ScriptError& e) {
    entry.load_error = e.message();
  }
  return entry;
}

ScriptRegistry::ScriptRegistry(ScriptRoots roots, ScriptLimits limits) : roots_(std::move(roots)) {
  std::vector<std::string> folders;
  for (const auto& p : roots_.user_paths) {
    folders.push_back(p);
    folders.push_back((fs::path(p) / "risk").string());
  }
  if (!roots_.builtin_strategies.empty()) {
    folders.push_back(roots_.builtin_strategies);
    folders.push_back((fs::path(roots_.builtin_strategies) / "risk").string());
  }
  std::vector<std::string> seen;
  for (const auto& folder : folders) {
    for (auto& file : lua_files(folder)) {
      if (std::find(seen.begin(), seen.end(), file) != seen.end()) continue;  // root listed twice
      seen.push_back(file);
      RegistryEntry entry = describe(file, roots_, limits);
      for (const auto& other : entries_)
        if (other.name == entry.name)
          throw ScriptError(ScriptError::Kind::Load, entry.path, "",
                            fmt::format("script name '{}' is defined twice: in {} and in {}", entry.name,
                                        other.path, entry.path));
      entries_.push_back(std::move(entry));
    }
  }
}

const RegistryEntry* ScriptRegistry::find(std::string_view name, ScriptKind kind) const noexcept {
  for (const auto& e : entries_)
    if (e.name == name && (e.kind == kind || !e.load_error.empty())) return &e;
  return nullptr;
}

}  // namespace qtrader
