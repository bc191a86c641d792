#include "qtrader/lua/plain_state.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <lua.hpp>
#include <nlohmann/json.hpp>

namespace qtrader {

namespace {

using Json = nlohmann::json;

bool is_identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front()))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// One key of a table, as read and as the path prints it.
struct Key {
  int type;  // LUA_TNUMBER, LUA_TSTRING, LUA_TBOOLEAN
  double number = 0;
  std::string text;
  bool flag = false;

  std::string in_path() const {
    if (type == LUA_TNUMBER) return fmt::format("[{}]", number);
    if (type == LUA_TBOOLEAN) return flag ? "[true]" : "[false]";
    return is_identifier(text) ? "." + text : fmt::format("[\"{}\"]", text);
  }
  Json json() const {
    if (type == LUA_TNUMBER) return number;
    if (type == LUA_TBOOLEAN) return flag;
    return text;
  }
  bool operator<(const Key& o) const {
    if (type != o.type) return type == LUA_TNUMBER || (type == LUA_TSTRING && o.type == LUA_TBOOLEAN);
    if (type == LUA_TNUMBER) return number < o.number;
    if (type == LUA_TSTRING) return text < o.text;
    return flag < o.flag;
  }
};

class Encoder {
 public:
  explicit Encoder(lua_State* L) : L_(L) {}

  Json value(int idx, const std::string& path) {
    switch (lua_type(L_, idx)) {
      case LUA_TNUMBER: {
        const double v = lua_tonumber(L_, idx);
        if (std::isfinite(v)) return v;
        return Json{{"float", std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf")}};
      }
      case LUA_TSTRING: {
        std::size_t n = 0;
        const char* s = lua_tolstring(L_, idx, &n);
        return std::string(s, n);
      }
      case LUA_TBOOLEAN:
        return lua_toboolean(L_, idx) != 0;
      case LUA_TTABLE:
        return table(idx, path);
      default:
        throw PlainStateError(
            fmt::format("{} is a {}: ctx.state holds only numbers, strings, booleans and tables", path,
                        lua_typename(L_, lua_type(L_, idx))));
    }
  }

 private:
  Json table(int idx, const std::string& path) {
    idx = idx < 0 ? lua_gettop(L_) + idx + 1 : idx;
    const void* id = lua_topointer(L_, idx);
    if (!open_.insert(id).second)
      throw PlainStateError(fmt::format("{} is a cycle: it holds a table that contains it", path));
    if (lua_getmetatable(L_, idx)) {
      lua_pop(L_, 1);
      throw PlainStateError(fmt::format("{} has a metatable: ctx.state holds plain tables only", path));
    }
    luaL_checkstack(L_, 8, "ctx.state");
    std::vector<std::pair<Key, Json>> entries;
    lua_pushnil(L_);
    while (lua_next(L_, idx) != 0) {  // stack: key, value
      Key key{lua_type(L_, -2)};
      if (key.type == LUA_TNUMBER) {
        key.number = lua_tonumber(L_, -2);
      } else if (key.type == LUA_TSTRING) {
        std::size_t n = 0;
        const char* s = lua_tolstring(L_, -2, &n);  // a string key: no conversion in place
        key.text.assign(s, n);
      } else if (key.type == LUA_TBOOLEAN) {
        key.flag = lua_toboolean(L_, -2) != 0;
      } else {
        lua_pop(L_, 2);
        throw PlainStateError(fmt::format("{} has a {} key: keys are numbers, strings or booleans", path,
                                          lua_typename(L_, key.type)));
      }
      std::string child = path + key.in_path();
      Json v;
      try {
        v = value(-1, child);
      } catch (...) {
        lua_pop(L_, 2);
        throw;
      }
      entries.emplace_back(std::move(key), std::move(v));
      lua_pop(L_, 1);
    }
    open_.erase(id);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Json out = Json::array();
    for (auto& [key, v] : entries) out.push_back(Json::array({key.json(), std::move(v)}));
    return out;
  }

  lua_State* L_;
  std::unordered_set<const void*> open_;  // the tables on the current path
};

void push_value(lua_State* L, const Json& v, int depth);

void push_key(lua_State* L, const Json& k) {
  if (k.is_number())
    lua_pushnumber(L, k.get<double>());
  else if (k.is_string())
    lua_pushlstring(L, k.get_ref<const std::string&>().data(), k.get_ref<const std::string&>().size());
  else if (k.is_boolean())
    lua_pushboolean(L, k.get<bool>());
  else
    throw PlainStateError("ctx.state in the checkpoint: a key is not a number, string or boolean");
}

void push_value(lua_State* L, const Json& v, int depth) {
  if (depth > 200) throw PlainStateError("ctx.state in the checkpoint: nested too deeply");
  luaL_checkstack(L, 4, "ctx.state");
  if (v.is_number()) {
    lua_pushnumber(L, v.get<double>());
  } else if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    lua_pushlstring(L, s.data(), s.size());
  } else if (v.is_boolean()) {
    lua_pushboolean(L, v.get<bool>());
  } else if (v.is_object() && v.contains("float")) {
    const std::string f = v.at("float").get<std::string>();
    lua_pushnumber(L, f == "nan" ? std::numeric_limits<double>::quiet_NaN()
                                 : (f == "inf" ? 1 : -1) * std::numeric_limits<double>::infinity());
  } else if (v.is_array()) {
    lua_createtable(L, 0, static_cast<int>(v.size()));
    for (const Json& pair : v) {
      if (!pair.is_array() || pair.size() != 2)
        throw PlainStateError("ctx.state in the checkpoint: a table entry is not a [key, value] pair");
      push_key(L, pair[0]);
      push_value(L, pair[1], depth + 1);
      lua_rawset(L, -3);
    }
  } else {
    throw PlainStateError("ctx.state in the checkpoint: a value of an unknown form");
  }
}

}  // namespace

std::string encode_plain_state(lua_State* L, int idx, const std::string& path) {
  if (lua_type(L, idx) != LUA_TTABLE)
    throw PlainStateError(fmt::format("{} is a {}, not a table", path, lua_typename(L, lua_type(L, idx))));
  const Json j = Encoder(L).value(idx, path);
  try {
    return j.dump();
  } catch (const Json::exception&) {
    throw PlainStateError(fmt::format("{} holds a string that is not valid UTF-8", path));
  }
}

void push_plain_state(lua_State* L, const std::string& json) {
  Json j;
  try {
    j = Json::parse(json);
  } catch (const Json::exception& e) {
    throw PlainStateError(fmt::format("ctx.state in the checkpoint is not JSON: {}", e.what()));
  }
  if (!j.is_array()) throw PlainStateError("ctx.state in the checkpoint is not a table");
  push_value(L, j, 0);
}

}  // namespace qtrader
