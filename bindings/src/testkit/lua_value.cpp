#include "lua_value.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "../lua_raw.hpp"

namespace qtrader {

namespace {

constexpr int kMaxDepth = 16;

ParamValue read_value(lua_State* L, int idx, const std::string& where, int depth) {
  idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
  ParamValue out;
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
      out.kind = ParamValue::Kind::Number;
      out.number = lua_tonumber(L, idx);
      out.is_integer = std::isfinite(out.number) && out.number == std::floor(out.number);
      return out;
    case LUA_TBOOLEAN:
      out.kind = ParamValue::Kind::Bool;
      out.boolean = lua_toboolean(L, idx) != 0;
      return out;
    case LUA_TSTRING: {
      std::string_view s;
      raw_string(L, idx, s);
      out.kind = ParamValue::Kind::String;
      out.text.assign(s);
      return out;
    }
    case LUA_TTABLE: break;
    default:
      throw std::invalid_argument(fmt::format("{}: a {} cannot be passed to the engine", where, type_name(L, idx)));
  }
  if (depth >= kMaxDepth || !lua_checkstack(L, 3))
    throw std::invalid_argument(fmt::format("{}: tables nested too deep", where));
  const auto n = lua_objlen(L, idx);
  out.kind = n > 0 ? ParamValue::Kind::List : ParamValue::Kind::Map;
  if (n > 0) out.list.resize(n);
  std::size_t count = 0;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    ++count;
    double k = 0;
    std::string_view key;
    if (n > 0) {
      if (!raw_number(L, -2, k) || k < 1 || k > double(n) || k != std::floor(k)) {
        lua_pop(L, 2);
        throw std::invalid_argument(fmt::format("{}: a list cannot have other keys", where));
      }
      out.list[static_cast<std::size_t>(k) - 1] =
          read_value(L, -1, fmt::format("{}[{}]", where, static_cast<long long>(k)), depth + 1);
    } else {
      if (!raw_string(L, -2, key)) {
        lua_pop(L, 2);
        throw std::invalid_argument(fmt::format("{}: keys must be strings (or 1..n for a list)", where));
      }
      std::string name(key);
      out.map.emplace_back(name, read_value(L, -1, std::string(where).append(".").append(name), depth + 1));
    }
    lua_pop(L, 1);
  }
  if (n > 0 && count != n) throw std::invalid_argument(fmt::format("{}: a list cannot have holes or other keys", where));
  std::sort(out.map.begin(), out.map.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace

ParamValue read_lua_value(lua_State* L, int idx, const std::string& where) {
  return read_value(L, idx, where, 0);
}

}  // namespace qtrader
