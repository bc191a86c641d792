#include "engine/library_check.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "library/content_hash.hpp"
#include "library/library_pin.hpp"
#include "library/library_store.hpp"
#include "library/lock_file.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

namespace {

std::string not_installed(const std::string& name, const ScriptRegistry& registry) {
  std::string where;
  for (const auto& dir : registry.roots().library_dirs) where += (where.empty() ? "" : ", ") + dir;
  return fmt::format("library '{}' is not installed: no script_paths folder is that library, nor a "
                     "folder of {} (install it with `qtrader lib add PATH`)", name, where);
}

LibraryUse use_of(const ScriptLibrary& lib) {
  LibraryUse u{lib.name, lib.manifest->version.text(), library_content_hash(lib.root), lib.root, lib.root};
  try {
    const InstalledLibrary installed = read_installed_library(lib.root);
    if (!installed.source.empty())
      u.source = installed.ref.empty() ? installed.source : installed.source + "@" + installed.ref;
  } catch (const std::exception&) {
    // the manifest was read already; a bad install record only loses the source
  }
  return u;
}

}  // namespace

std::vector<LibraryUse> check_libraries(const ScriptRegistry& registry,
                                        const std::vector<const RegistryEntry*>& used,
                                        const BacktestConfig& bt) {
  std::vector<const ScriptLibrary*> todo;
  auto add = [&](const ScriptLibrary* lib) {
    if (std::find(todo.begin(), todo.end(), lib) == todo.end()) todo.push_back(lib);
  };
  for (std::size_t i = 0; i < bt.libraries.size(); ++i) {
    const SourceLocation where = i < bt.libraries_where.size() ? bt.libraries_where[i] : SourceLocation{bt.path, 0};
    const std::string key = fmt::format("libraries[{}]", i);
    LibraryPin pin;
    try {
      pin = parse_library_pin(bt.libraries[i]);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(where.file, where.line, key, e.what());
    }
    const ScriptLibrary* lib = registry.library(pin.name);
    if (!lib) throw ConfigError(where.file, where.line, key, not_installed(pin.name, registry));
    if (!pin.range.contains(lib->manifest->version))
      throw ConfigError(where.file, where.line, key,
                        fmt::format("library '{}' is version {} ({}), the backtest asks for {}", pin.name,
                                    lib->manifest->version.text(), lib->root, pin.range.text()));
    add(lib);
  }
  for (const RegistryEntry* e : used) {
    const ScriptLibrary& lib = registry.libraries().at(e->library_index);
    if (lib.manifest) add(&lib);
  }
  for (std::size_t i = 0; i < todo.size(); ++i) {  // grows as requirements are found
    const LibraryManifest& m = *todo[i]->manifest;
    if (m.qtrader && !m.qtrader->contains(qtrader_version()))
      throw ConfigError(m.path, m.qtrader_where.line, "qtrader",
                        fmt::format("library '{}' {} is made for qtrader {}; this is qtrader {}", m.name,
                                    m.version.text(), m.qtrader->text(), qtrader_version().text()));
    for (const auto& req : m.requires_) {
      const ScriptLibrary* dep = registry.library(req.name);
      const std::string key = "requires." + req.name;
      if (!dep)
        throw ConfigError(m.path, req.where.line, key,
                          fmt::format("library '{}' requires '{}' {}: {}", m.name, req.name, req.range.text(),
                                      not_installed(req.name, registry)));
      if (!req.range.contains(dep->manifest->version))
        throw ConfigError(m.path, req.where.line, key,
                          fmt::format("library '{}' requires '{}' {}, but version {} is installed ({})", m.name,
                                      req.name, req.range.text(), dep->manifest->version.text(), dep->root));
      add(dep);
    }
  }
  std::vector<LibraryUse> out;
  out.reserve(todo.size());
  for (const ScriptLibrary* lib : todo) out.push_back(use_of(*lib));
  std::sort(out.begin(), out.end(), [](const LibraryUse& a, const LibraryUse& b) { return a.name < b.name; });
  return out;
}

void check_against_lock(const std::vector<LibraryUse>& used, const std::string& backtest_path) {
  const std::string path = lock_path_for(backtest_path);
  const auto locked = read_lock_file(path);
  if (!locked) return;
  for (const LibraryUse& u : used) {
    const auto it = std::find_if(locked->begin(), locked->end(),
                                 [&](const LockedLibrary& l) { return l.name == u.name; });
    if (it == locked->end())
      throw ConfigError(path, 0, "libraries",
                        fmt::format("library '{}' {} ({}) is used but not locked; lock it with `qtrader lib "
                                    "lock {}`, or run with --allow-unlocked",
                                    u.name, u.version, u.path, backtest_path));
    if (it->hash != u.hash)
      throw ConfigError(path, it->where.line,
                        fmt::format("libraries[{}].hash", it - locked->begin()),
                        fmt::format("library '{}' does not match the lock: expected {} (version {}), actual {} "
                                    "(version {}, {}); review the change and run `qtrader lib lock {}`, or run "
                                    "with --allow-unlocked",
                                    u.name, it->hash, it->version, u.hash, u.version, u.path, backtest_path));
  }
}

}  // namespace qtrader
