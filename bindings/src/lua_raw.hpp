// Reading values that come from scripts without ever running their
// metamethods (Redis #11032): raw field access and conversions that only
// accept the exact Lua type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <lua.hpp>

#include "qtrader/types.hpp"

namespace qtrader {

// Pushes t[key] with lua_rawget. `t` is an absolute or negative index.
void raw_field(lua_State* L, int t, const char* key);

// Type names for messages.
inline const char* type_name(lua_State* L, int idx) { return lua_typename(L, lua_type(L, idx)); }

// Optional arguments of every bound function follow Lua's own luaL_opt* rule:
// an argument left out and an explicit nil both mean "use the default", so
// f(a, nil) is f(a). Readers of optional arguments test this, and nothing else.
inline bool is_default_argument(lua_State* L, int idx) noexcept { return lua_isnoneornil(L, idx); }

// The value `read()` returns, or `fallback` when the argument at idx is left
// out or nil: opt_argument(L, 4, 0, [&] { return integer_argument(L, 4, ...); }).
template <class T, class Read>
T opt_argument(lua_State* L, int idx, T fallback, Read&& read) {
  return is_default_argument(L, idx) ? fallback : static_cast<T>(read());
}

// lua_gettop without the trailing nils: the number of arguments given, by the
// rule above (for functions with a variable number of optional arguments).
int given_arguments(lua_State* L) noexcept;

// Number at idx if it is an actual number (no string coercion).
bool raw_number(lua_State* L, int idx, double& out) noexcept;
// String at idx if it is an actual string (no number coercion).
bool raw_string(lua_State* L, int idx, std::string_view& out) noexcept;

// An integer-valued number in [0, kNoSymbol) as a symbol handle; throws
// std::invalid_argument naming `what` otherwise.
SymbolId to_symbol_handle(lua_State* L, int idx, const char* what);

// Text of the value at idx without metamethods (for log messages).
std::string describe_value(lua_State* L, int idx);

// Copies of lua_pushnumber / lua_rawset with a literal key, for building tables.
void set_number(lua_State* L, int t, const char* key, double v);
void set_string(lua_State* L, int t, const char* key, std::string_view v);

// "file:line:" of the Lua function `level` frames up ("" when unknown).
std::string lua_location(lua_State* L, int level);

}  // namespace qtrader
