#include "userdata_support.hpp"

#include <cstring>

namespace qtrader {

namespace {

int ctx_index_with_state(lua_State* L) {
  if (lua_type(L, 2) == LUA_TSTRING) {
    std::size_t n = 0;
    const char* key = lua_tolstring(L, 2, &n);
    if (n == 5 && std::memcmp(key, "state", 5) == 0) {
      lua_getfenv(L, 1);
      return 1;
    }
  }
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  return 1;
}

}  // namespace

void add_ctx_state(lua_State* L, bool fresh) {
  if (fresh) {  // __index: the methods table, behind the `state` key
    lua_getmetatable(L, -1);
    lua_pushstring(L, "__index");
    lua_rawget(L, -2);
    lua_pushcclosure(L, ctx_index_with_state, 1);
    lua_pushstring(L, "__index");
    lua_insert(L, -2);
    lua_rawset(L, -3);
    lua_pop(L, 1);
  }
  lua_newtable(L);
  lua_setfenv(L, -2);
}

void push_userdata_metatable(lua_State* L, int& ref, const luaL_Reg* methods,
                             lua_CFunction index_fallback) {
  if (ref != LUA_NOREF) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    return;
  }
  lua_newtable(L);  // stack: mt
  const int mt = lua_gettop(L);
  if (index_fallback) {
    lua_pushvalue(L, mt);
    lua_pushcclosure(L, index_fallback, 1);
  } else {
    lua_newtable(L);  // stack: mt, methods
    for (const luaL_Reg* m = methods; m->name; ++m) {
      lua_pushstring(L, m->name);
      lua_pushvalue(L, mt);
      lua_pushcclosure(L, m->func, 1);
      lua_rawset(L, -3);
    }
  }
  lua_pushstring(L, "__index");
  lua_insert(L, -2);
  lua_rawset(L, mt);
  lua_pushstring(L, "__metatable");
  lua_pushboolean(L, 0);
  lua_rawset(L, mt);
  lua_pushvalue(L, mt);
  ref = luaL_ref(L, LUA_REGISTRYINDEX);  // stack: mt
}

LogLevel parse_log_level(lua_State* L, int idx, const char* method) {
  std::string_view s;
  if (raw_string(L, idx, s)) {
    LogLevel level;
    if (parse_name(s, level)) return level;
    if (s == "warning") return LogLevel::Warn;  // spdlog's spelling, accepted too
  }
  throw std::invalid_argument(fmt::format("{}: level must be {}, got {}", method, quoted_names<LogLevel>(),
                                          describe_value(L, idx)));
}

std::string join_arguments(lua_State* L, int first, char separator) {
  std::string text;
  for (int i = first, n = lua_gettop(L); i <= n; ++i) {
    if (i > first) text += separator;
    for (const char c : describe_value(L, i)) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte >= 0x20 && byte != 0x7f) text += c;
      else if (c == '\n') text += "\\n";
      else if (c == '\r') text += "\\r";
      else if (c == '\t') text += "\\t";
      else text += fmt::format("\\x{:02X}", byte);
    }
  }
  return text;
}

void throw_retired(const char* method) {
  throw std::logic_error(fmt::format("{}: this object belongs to a run that has ended", method));
}

}  // namespace qtrader
