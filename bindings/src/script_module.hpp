// Reading the table a script file returns ({name, kind, description, params,
// callbacks}) with raw access, shared by the registry and the loaders.
#pragma once

#include <string>
#include <string_view>
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

// A loaded script's identity: the header checked against the kind the loader
// expects, its name (the file stem when unset) and its params resolved
// against the backtest's config. `what` names the kind in errors.
struct LoadedHeader {
  std::string name;
  ResolvedParams params;
};
LoadedHeader check_loaded_header(lua_State* L, int idx, const std::string& path, ScriptKind expected,
                                 const char* wrong_kind, const ParamMap& overrides,
                                 std::string_view config_key);

// Tells the ctx userdata held in `ctx` that its script is gone, so a ctx the
// script kept (in a global, a closure) cannot reach the dead context.
template <class CtxUserdata>
void detach_ctx(lua_State* L, const LuaRef& ctx) {
  ctx.push(L);
  if (auto* ud = static_cast<CtxUserdata*>(lua_touserdata(L, -1))) ud->binding = nullptr;
  lua_pop(L, 1);
}

// ctx.state of the ctx userdata held in `ctx` (add_ctx_state) as JSON, for a
// checkpoint, and back on resume: ScriptError naming `path` and the
// callback ("checkpoint", "resume") when it is not plain data (plain_state.hpp).
std::string save_ctx_state(lua_State* L, const LuaRef& ctx, const std::string& path);
void restore_ctx_state(lua_State* L, const LuaRef& ctx, const std::string& path, const std::string& json);

// A registry ref to the function t[key]; empty when absent and optional.
LuaRef function_ref(lua_State* L, int idx, const char* key, bool required, const std::string& path);

// Pushes {name = value, ...} for on_init.
void push_params(lua_State* L, const ResolvedParams& params);
// One value as a Lua value: lists as sequences, mappings as tables keyed by
// name (params, and the test kit's run results).
void push_param_value(lua_State* L, const ParamValue& v);

// File name without folder and ".lua".
std::string file_stem(const std::string& path);

}  // namespace qtrader
