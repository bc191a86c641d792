#include "module_resolver.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

bool inside(const std::string& file, const std::string& root) {
  return file.size() > root.size() && file.compare(0, root.size(), root) == 0 &&
         (file[root.size()] == '/' || root.back() == '/');
}

// The module file under root by its real path, or "" when there is none. A
// file whose real path leaves the root (a symbolic link to any file, a name
// the OS resolves elsewhere) is an error, not a miss: it must never be read
// (docs/sandbox.md, T25).
std::string existing(const std::string& root, const std::string& relative) {
  std::error_code ec;
  const fs::path candidate = fs::path(root) / relative;
  if (!fs::is_regular_file(candidate, ec)) return {};
  std::string real = real_path_inside(root, candidate.string());
  if (real.empty())
    throw std::runtime_error(fmt::format("{} leads outside its folder {}: modules must be files inside the "
                                         "script folders", candidate.string(), root));
  return real;
}

// The scope whose root holds `file` (the deepest, for nested folders); -1 when none does.
int scope_of(const HostState& h, const std::string& file) {
  int best = -1;
  std::size_t best_len = 0;
  for (std::size_t i = 0; i < h.module_scopes.size(); ++i)
    for (const auto& root : h.module_scopes[i].roots)
      if (inside(file, root) && root.size() > best_len) {
        best = static_cast<int>(i);
        best_len = root.size();
      }
  return best;
}

std::string to_relative(std::string_view name) {
  std::string relative(name);
  for (char& c : relative)
    if (c == '.') c = '/';
  return relative + ".lua";
}

std::string in_scope(const ModuleScope& s, const std::string& relative) {
  for (const auto& root : s.roots)
    if (auto path = existing(root, relative); !path.empty()) return path;
  return {};
}

// "mylib.x.y" -> the scope named mylib and "x.y", when `allowed` takes it.
template <class Allowed>
std::string qualified(const HostState& h, std::string_view name, Allowed allowed) {
  const auto dot = name.find('.');
  if (dot == std::string_view::npos) return {};
  const std::string_view head = name.substr(0, dot);
  for (std::size_t i = 0; i < h.module_scopes.size(); ++i) {
    const ModuleScope& s = h.module_scopes[i];
    if (s.name.empty() || s.name != head || !allowed(i)) continue;
    if (auto path = in_scope(s, to_relative(name.substr(dot + 1))); !path.empty()) return path;
  }
  return {};
}

std::string resolve_isolated(const HostState& h, std::size_t self, std::string_view name, std::string& searched) {
  const ModuleScope& s = h.module_scopes[self];
  const std::string relative = to_relative(name);
  if (auto path = in_scope(s, relative); !path.empty()) return path;
  auto allowed = [&](std::size_t i) {
    if (i == self) return true;
    for (std::size_t d : s.dependencies)
      if (d == i) return true;
    return false;
  };
  if (auto path = qualified(h, name, allowed); !path.empty()) return path;
  std::string deps;
  for (std::size_t d : s.dependencies) {
    if (auto path = in_scope(h.module_scopes[d], relative); !path.empty()) return path;
    deps += (deps.empty() ? "" : ", ") + h.module_scopes[d].name;
  }
  // The built-in modules (scripts/) come last for every library.
  for (const auto& other : h.module_scopes)
    if (other.name == "qtrader" && &other != &s)
      if (auto path = in_scope(other, relative); !path.empty()) return path;
  searched = fmt::format("library '{}'{}", s.name.empty() ? "qtrader" : s.name,
                         deps.empty() ? std::string(" (it requires no other library)")
                                      : fmt::format(", then the libraries it requires: {}", deps));
  return {};
}

}  // namespace

std::string real_path_inside(const std::string& folder, const std::string& path) {
  std::error_code ec;
  const std::string real_folder = fs::weakly_canonical(folder, ec).string();
  if (ec) return {};
  const std::string real = fs::weakly_canonical(path, ec).string();
  return !ec && inside(real, real_folder) ? real : std::string();
}

std::string calling_file(lua_State* L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "S", &ar) || !ar.source) continue;
    if (ar.source[0] == '@') return ar.source + 1;
    if (ar.what && std::string_view(ar.what) != "C") return {};
  }
  return {};
}

std::string resolve_module(HostState& h, const std::string& caller_file, std::string_view name,
                           std::string& searched) {
  const int scope = h.module_scopes.empty() ? -1 : scope_of(h, caller_file);
  std::string key = std::to_string(scope);
  key += '\0';
  key += name;
  if (const auto it = h.resolved_modules.find(key); it != h.resolved_modules.end()) return it->second;

  std::string path;
  const std::string relative = to_relative(name);
  if (scope >= 0 && h.module_scopes[scope].isolated) {
    path = resolve_isolated(h, static_cast<std::size_t>(scope), name, searched);
  } else {
    // A folder without a manifest: its own module first, else a library's
    // module named in full, else the first module root that has it. Another
    // folder's module of the same name is then shadowed: say so once.
    if (scope >= 0) path = in_scope(h.module_scopes[scope], relative);
    if (path.empty()) path = qualified(h, name, [](std::size_t) { return true; });
    std::vector<std::string> found;
    if (!path.empty()) found.push_back(path);
    for (const auto& root : h.module_roots)
      if (auto p = existing(root, relative); !p.empty() && std::find(found.begin(), found.end(), p) == found.end())
        found.push_back(std::move(p));
    if (!found.empty()) {
      path = found.front();
      if (found.size() > 1 && h.shadow_warnings.insert(found[1]).second)
        run_log().warn("require '{}': {} shadows {} (give each folder a qtrader-lib.yaml to make it a "
                     "library: docs/libraries.md)", name, found.front(), found[1]);
    }
    if (path.empty()) searched = "the script folders";
  }
  if (!path.empty()) h.resolved_modules.emplace(std::move(key), path);
  return path;
}

}  // namespace qtrader
