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
