#include "qtrader/lua/script_registry.hpp"

#include "qtrader/hash.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <lua.hpp>

#include "description_cache.hpp"
#include "host_functions.hpp"
#include "library/library_store.hpp"
#include "module_resolver.hpp"
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

std::string RegistryEntry::qualified_name() const {
  return kind == ScriptKind::RiskPolicy ? library + ".risk." + name : library + "." + name;
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

std::string absolute_folder(const std::string& p) {
  std::string out = fs::absolute(p).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool kind_matches(const RegistryEntry& e, ScriptKind kind) { return e.kind == kind || !e.load_error.empty(); }

}  // namespace

RegistryEntry ScriptRegistry::describe(const std::string& path, const ScriptRoots& roots,
                                       const ScriptLimits& limits, const std::vector<ModuleScope>& scopes,
                                       const DescriptionCache* cache) {
  RegistryEntry entry;
  entry.path = path;
  entry.name = file_stem(path);
  // A script folder holds its scripts: a symbolic link out of it would load
  // (and quote in errors) any file the process can read (docs/sandbox.md, T25).
  const std::string folder = fs::path(path).parent_path().string();
  if (real_path_inside(folder, path).empty()) {
    entry.load_error = fmt::format("{} leads outside its script folder {}: copy the script into the folder",
                                   path, folder);
    return entry;
  }
  std::string source;
  const bool readable = read_text_file(path, source);
  if (readable) entry.content_hash = fnv1a64(source);
  if (readable && cache)
    if (auto cached = cache->find(path, source)) {
      cached->content_hash = entry.content_hash;
      return std::move(*cached);
    }
  try {
    // A Lua state (and its watchdog thread) per file: most of a short run's
    // start-up, hence the cache.
    ScriptHost scratch(limits, roots.module_roots());
    if (!scopes.empty()) scratch.set_module_scopes(scopes);
    scratch.load_file(path);
    ScriptHeader header = read_script_header(scratch.state(), -1, path);
    if (!header.name.empty()) entry.name = std::move(header.name);
    entry.kind = header.kind;
    entry.description = std::move(header.description);
    entry.params = std::move(header.params);
    if (readable && cache) cache->store(path, source, entry, scratch.required_files());
  } catch (const ScriptError& e) {
    entry.load_error = e.message();
  }
  return entry;
}

void ScriptRegistry::add_library(ScriptLibrary library) {
  library.root = absolute_folder(library.root);
  for (const auto& other : libraries_) {
    if (other.root == library.root) return;  // a folder listed twice
    if (library.manifest && other.manifest && other.name == library.name) {
      warnings_.push_back(fmt::format("library '{}' {} at {} is shadowed by version {} at {}", library.name,
                                      library.manifest->version.text(), library.root,
                                      other.manifest->version.text(), other.root));
      return;
    }
  }
  libraries_.push_back(std::move(library));
}

void ScriptRegistry::scan_library(std::size_t index, const ScriptLimits& limits, const DescriptionCache* cache) {
  const std::string root = libraries_[index].root;
  for (const auto& folder : {root, (fs::path(root) / "risk").string()})
    for (auto& file : lua_files(folder)) {
      RegistryEntry entry = describe(file, roots_, limits, scopes_, cache);
      entry.library = libraries_[index].name;
      entry.library_index = index;
      entries_.push_back(std::move(entry));
    }
}

ScriptRegistry::ScriptRegistry(ScriptRoots roots, ScriptLimits limits) : roots_(std::move(roots)) {
  for (const auto& p : roots_.user_paths) {
    ScriptLibrary lib{kLocalNamespace, p, std::nullopt, "script_paths"};
    std::error_code ec;
    if (fs::exists(fs::path(p) / kManifestFile, ec)) {
      lib.manifest = read_manifest(p);  // ConfigError at the manifest's line
      lib.name = lib.manifest->name;
    }
    add_library(std::move(lib));
  }
  for (const auto& dir : roots_.library_dirs)
    for (auto& installed : installed_libraries(dir, &warnings_))
      add_library({installed.manifest.name, installed.path, std::move(installed.manifest), "installed"});
  if (!roots_.builtin_strategies.empty())
    add_library({kBuiltinNamespace, roots_.builtin_strategies, std::nullopt, "builtin"});

  for (const auto& lib : libraries_) {
    ModuleScope scope;
    scope.roots.push_back(lib.root);
    if (lib.origin == "builtin") {
      scope.name = kBuiltinNamespace;
      scope.isolated = true;
      if (!roots_.modules.empty()) scope.roots.push_back(absolute_folder(roots_.modules));
    } else if (lib.manifest) {
      scope.name = lib.name;
      scope.isolated = true;
      for (const auto& req : lib.manifest->requires_)
        for (std::size_t i = 0; i < libraries_.size(); ++i)
          if (libraries_[i].manifest && libraries_[i].name == req.name) scope.dependencies.push_back(i);
    }
    scopes_.push_back(std::move(scope));
  }
  std::optional<DescriptionCache> cache;
  if (!roots_.description_cache.empty()) cache.emplace(roots_.description_cache, environment_key(limits));
  for (std::size_t i = 0; i < libraries_.size(); ++i) scan_library(i, limits, cache ? &*cache : nullptr);
}

// What besides a script's own bytes decides its description: the module
// roots `require` searches (and which files they hold) and how the libraries
// see each other.
std::uint64_t ScriptRegistry::environment_key(const ScriptLimits& limits) const {
  std::vector<std::string> roots = roots_.module_roots();
  std::string scopes;
  for (const auto& s : scopes_) {
    scopes += fmt::format("|{}:{}:", s.name, s.isolated ? 1 : 0);
    for (const auto& r : s.roots) {
      scopes += r + ",";
      roots.push_back(r);
    }
    for (std::size_t d : s.dependencies) scopes += fmt::format("{};", d);
  }
  return DescriptionCache::environment_key(roots, scopes, limits.random_seed);
}

std::vector<const RegistryEntry*> ScriptRegistry::matches(std::string_view name, ScriptKind kind) const {
  std::vector<const RegistryEntry*> out;
  // A full name: "<namespace>.<name>", or "<namespace>.risk.<name>" for a risk policy.
  if (const auto dot = name.find('.'); dot != std::string_view::npos) {
    const std::string_view ns = name.substr(0, dot), rest = name.substr(dot + 1);
    for (const auto& e : entries_) {
      if (e.library != ns || !kind_matches(e, kind)) continue;
      if (e.name == rest || (e.kind == ScriptKind::RiskPolicy && rest.substr(0, 5) == "risk." &&
                             rest.substr(5) == e.name))
        out.push_back(&e);
    }
    if (!out.empty()) return out;
  }
  for (const auto& e : entries_)
    if (e.name == name && kind_matches(e, kind)) out.push_back(&e);
  return out;
}

const RegistryEntry* ScriptRegistry::find(std::string_view name, ScriptKind kind) const noexcept {
  try {
    const auto found = matches(name, kind);
    return found.size() == 1 ? found.front() : nullptr;
  } catch (...) {
    return nullptr;
  }
}

std::string ScriptRegistry::ambiguity(std::string_view name, ScriptKind kind,
                                      const std::vector<const RegistryEntry*>& candidates) {
  std::string list;
  for (const RegistryEntry* e : candidates)
    list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", e->qualified_name(), e->path);
  const bool same_full_name = std::all_of(candidates.begin(), candidates.end(), [&](const RegistryEntry* e) {
    return e->qualified_name() == candidates.front()->qualified_name();
  });
  return fmt::format("{} name '{}' is ambiguous: it could be {}; {}",
                     kind == ScriptKind::Strategy ? "strategy" : "risk policy", name, list,
                     same_full_name ? "rename one of the scripts (their folders share a namespace)"
                                    : "write the full name");
}

const ScriptLibrary* ScriptRegistry::library(std::string_view name) const noexcept {
  for (const auto& lib : libraries_)
    if (lib.manifest && lib.name == name) return &lib;
  return nullptr;
}

}  // namespace qtrader
