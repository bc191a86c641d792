#include "lua_raw.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "trampoline.hpp"

namespace qtrader {

void raise_lua_error(lua_State* L, const std::string& message) {
  // The Lua caller's full "file:line:" (luaL_where would truncate long paths).
  std::string where = lua_location(L, 1);
  if (!where.empty()) where += ' ';
  lua_pushlstring(L, where.data(), where.size());
  lua_pushlstring(L, message.data(), message.size());
  lua_concat(L, 2);
  lua_error(L);
  std::abort();  // lua_error does not return
}

void raw_field(lua_State* L, int t, const char* key) {
  t = t < 0 && t > LUA_REGISTRYINDEX ? lua_gettop(L) + t + 1 : t;
  lua_pushstring(L, key);
  lua_rawget(L, t);
}

int given_arguments(lua_State* L) noexcept {
  int n = lua_gettop(L);
  while (n > 0 && lua_isnil(L, n)) --n;
  return n;
}

bool raw_number(lua_State* L, int idx, double& out) noexcept {
  if (lua_type(L, idx) != LUA_TNUMBER) return false;
  out = lua_tonumber(L, idx);
  return true;
}

bool raw_string(lua_State* L, int idx, std::string_view& out) noexcept {
  if (lua_type(L, idx) != LUA_TSTRING) return false;
  std::size_t n = 0;
  const char* s = lua_tolstring(L, idx, &n);
  out = std::string_view(s, n);
  return true;
}

SymbolId to_symbol_handle(lua_State* L, int idx, const char* what) {
  double v = 0;
  if (!raw_number(L, idx, v))
    throw std::invalid_argument(
        fmt::format("{}: symbol must be a handle from ctx:symbol(), got {}", what, type_name(L, idx)));
  if (!(v >= 0 && v < static_cast<double>(kNoSymbol)) || v != std::floor(v))
    throw std::invalid_argument(fmt::format("{}: {} is not a symbol handle", what, v));
  return static_cast<SymbolId>(v);
}

std::string describe_value(lua_State* L, int idx) {
  switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
      std::size_t n = 0;
      const char* s = lua_tolstring(L, idx, &n);
      return std::string(s, n);
    }
    case LUA_TNUMBER: {
      const double v = lua_tonumber(L, idx);
      return std::isnan(v) ? std::string("nan") : fmt::format("{}", v);  // never "-nan"
    }
    case LUA_TBOOLEAN: return lua_toboolean(L, idx) ? "true" : "false";
    case LUA_TNIL: return "nil";
    default: return type_name(L, idx);
  }
}

void set_number(lua_State* L, int t, const char* key, double v) {
  t = t < 0 ? lua_gettop(L) + t + 1 : t;
  lua_pushstring(L, key);
  lua_pushnumber(L, v);
  lua_rawset(L, t);
}

void set_string(lua_State* L, int t, const char* key, std::string_view v) {
  t = t < 0 ? lua_gettop(L) + t + 1 : t;
  lua_pushstring(L, key);
  lua_pushlstring(L, v.data(), v.size());
  lua_rawset(L, t);
}

std::string lua_location(lua_State* L, int level) {
  lua_Debug ar;
  // The first frame from `level` up that has a line: a tail call (`return
  // ctx:cash()`) leaves no line at `level` itself, so name its caller's.
  for (; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    // source is "@/abs/path.lua" for files; short_src is cut at 60 characters.
    const char* src = ar.source && ar.source[0] == '@' ? ar.source + 1 : ar.short_src;
    return fmt::format("{}:{}:", src, ar.currentline);
  }
  return {};
}

}  // namespace qtrader
