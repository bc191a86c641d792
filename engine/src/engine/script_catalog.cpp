#include "qtrader/script_catalog.hpp"

#include <filesystem>

#include <nlohmann/json.hpp>

#include "engine/param_json.hpp"
#include "library/library_store.hpp"
#include "qtrader/engine.hpp"

namespace qtrader {
namespace {

nlohmann::ordered_json entry_json(const RegistryEntry& e) {
  nlohmann::ordered_json params = nlohmann::ordered_json::array();
  for (const auto& p : e.params)
    params.push_back({{"name", p.name},
                      {"type", to_string(p.type)},
                      {"default", nlohmann::ordered_json::parse(param_json(p.default_value))},
                      {"min", p.min ? nlohmann::ordered_json(*p.min) : nullptr},
                      {"max", p.max ? nlohmann::ordered_json(*p.max) : nullptr},
                      {"description", p.description}});
  return {{"name", e.name},
          {"kind", to_string(e.kind)},
          {"full_name", e.qualified_name()},
          {"file", e.path},
          {"description", e.description},
          {"load_error", e.load_error.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.load_error)},
          {"params", params}};
}

}  // namespace

ScriptRoots script_roots(const Engine& engine, const std::vector<std::string>& script_paths) {
  ScriptRoots roots;
  for (const auto& p : script_paths) roots.user_paths.push_back(std::filesystem::absolute(p).string());
  roots.builtin_strategies = engine.root() + "/strategies";
  roots.modules = engine.root() + "/scripts";
  roots.library_dirs = {project_library_dir("."), user_library_dir()};
  roots.description_cache = default_description_cache_dir();
  return roots;
}

ScriptCatalog script_catalog(const Engine& engine, const std::vector<std::string>& script_paths) {
  const ScriptRegistry registry(script_roots(engine, script_paths));
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (auto kind : {ScriptKind::Strategy, ScriptKind::RiskPolicy})
    for (const auto& e : registry.list())
      if (e.kind == kind) out.push_back(entry_json(e));
  return {out.dump(2), registry.warnings()};
}

}  // namespace qtrader
