// Pieces shared by the ctx, indicator and bar userdata types.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <lua.hpp>

#include "host_state.hpp"
#include "lua_raw.hpp"
#include "qtrader/script_api.hpp"

namespace qtrader {

// The object a method was called on. Every method closure carries its type's
// metatable as upvalue 1; comparing it with the argument's metatable is
// cheaper than luaL_checkudata, which looks the metatable up by name each call.
template <class T>
T& check_self(lua_State* L, const char* method) {
  void* p = lua_touserdata(L, 1);
  if (p && lua_getmetatable(L, 1)) {
    const bool same = lua_rawequal(L, -1, lua_upvalueindex(1));
    lua_pop(L, 1);
    if (same) return *static_cast<T*>(p);
  }
  throw std::invalid_argument(fmt::format("{}: call it with ':' on the object", method));
}

// Creates (once per state) the metatable of a userdata type: __index is a
// table of `methods` (each a closure over the metatable), __metatable = false
// so scripts can neither read nor replace it. Pushes the metatable.
void push_userdata_metatable(lua_State* L, int& ref, const luaL_Reg* methods,
                             lua_CFunction index_fallback = nullptr);

// A script's ctx: a userdata {binding, generation} with the methods of its
// kind (strategy or risk), pushed on the stack; the generation lets a method
// refuse a ctx kept from an earlier run of the state.
template <class CtxUserdata, class Binding>
CtxUserdata* push_ctx_userdata(lua_State* L, Binding* binding, int HostState::*mt_ref,
                               const luaL_Reg* methods) {
  HostState* h = host_state_of(L);
  auto* ud = static_cast<CtxUserdata*>(lua_newuserdata(L, sizeof(CtxUserdata)));
  *ud = {binding, h->generation};
  push_userdata_metatable(L, h->*mt_ref, methods);
  lua_setmetatable(L, -2);
  return ud;
}

// ctx.state (docs/checkpoints.md) for the ctx userdata on the top of the
// stack: an empty table in its environment, one per script, read behind the
// `state` key of its __index (every other key stays a method). `fresh`: its
// metatable was made by this push, so its __index is wrapped once.
void add_ctx_state(lua_State* L, bool fresh);

LogLevel parse_log_level(lua_State* L, int idx, const char* method);
// The arguments from `first` on as one log line, separated by `separator`:
// control bytes escaped (\n, \r, \xNN), so script text can never start a
// forged line in run.log or on a terminal (print, ctx:log).
std::string join_arguments(lua_State* L, int first, char separator = ' ');

// A symbol argument: a handle (integer) or a name resolved through `ctx`.
template <class Context>
SymbolId symbol_argument(lua_State* L, int idx, const Context& ctx, const char* method) {
  std::string_view name;
  if (raw_string(L, idx, name)) {
    const SymbolId id = ctx.symbol(name);
    if (id == kNoSymbol) throw std::invalid_argument(fmt::format("{}: unknown symbol '{}'", method, name));
    return id;
  }
  return to_symbol_handle(L, idx, method);
}

// Thrown when a script uses a ctx or indicator it kept past its run.
[[noreturn]] void throw_retired(const char* method);

}  // namespace qtrader
