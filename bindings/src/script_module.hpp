// Reading the table a script file returns ({name, kind, description, params,
// callbacks}) with raw access, shared by the registry and the loaders.
#pragma once

#include <string>
#include <vector>

#include <lua.hpp>

#include "qtrader/lua/lua_ref.hpp"
#include "qtrader/lua/script_params.hpp"
#include "qtrader/lua/script_registry.hpp"

namespace qtrader {

struct ScriptHeader {
  std::string name;  // "" when the script does not set one
  ScriptKind kind = ScriptKind::Strategy;
  std::string description;
  std::vector<ParamSpec> params;  // in declared order (see read_script_header)
};

// The table at `idx`; ScriptError(Load) naming `path` when it is malformed.
// Params come in the order the script declares them: a list of params in list
// order; a table keyed by name in the order its constructor in `path`'s text
// names them (Lua tables keep no order), params not named there last, by name.
ScriptHeader read_script_header(lua_State* L, int idx, const std::string& path);

// A registry ref to the function t[key]; empty when absent and optional.
LuaRef function_ref(lua_State* L, int idx, const char* key, bool required, const std::string& path);

// Pushes {name = value, ...} for on_init.
void push_params(lua_State* L, const ResolvedParams& params);

// File name without folder and ".lua".
std::string file_stem(const std::string& path);

}  // namespace qtrader
