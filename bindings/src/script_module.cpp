#include "script_module.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "host_functions.hpp"
#include "lua_raw.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/plain_state.hpp"

namespace qtrader {

namespace {

[[noreturn]] void load_error(const std::string& path, const std::string& message) {
  throw ScriptError(ScriptError::Kind::Load, path, "", message);
}

// Value at idx as a ParamValue: a number, boolean or string, or (for a list
// param's default) a table: a sequence becomes a List, a table with string
// keys a Map (keys sorted, since Lua's traversal order is arbitrary), {} an
// empty List. Anything else, or a table nested too deep, is not a param value.
bool to_param_value(lua_State* L, int idx, ParamValue& out, int depth = 0) {
  idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
      out.kind = ParamValue::Kind::Number;
      out.number = lua_tonumber(L, idx);
      out.is_integer = std::isfinite(out.number) && out.number == std::floor(out.number);
      return true;
    case LUA_TBOOLEAN:
      out.kind = ParamValue::Kind::Bool;
      out.boolean = lua_toboolean(L, idx) != 0;
      return true;
    case LUA_TSTRING: {
      std::string_view s;
      raw_string(L, idx, s);
      out.kind = ParamValue::Kind::String;
      out.text.assign(s);
      return true;
    }
    case LUA_TTABLE: {
      if (depth >= 16 || !lua_checkstack(L, 3)) return false;
      const auto n = lua_objlen(L, idx);
      out.kind = n > 0 ? ParamValue::Kind::List : ParamValue::Kind::Map;
      std::size_t count = 0;
      lua_pushnil(L);
      while (lua_next(L, idx) != 0) {
        ++count;
        ParamValue item;
        std::string_view key;
        double k = 0;
        const bool ok = to_param_value(L, -1, item, depth + 1) &&
                        (n > 0 ? raw_number(L, -2, k) && k >= 1 && k <= double(n) && k == std::floor(k)
                               : raw_string(L, -2, key));
        if (!ok) {
          lua_pop(L, 2);
          return false;
        }
        if (n > 0) {
          if (out.list.size() < n) out.list.resize(n);
          out.list[static_cast<std::size_t>(k) - 1] = std::move(item);
        } else {
          out.map.emplace_back(std::string(key), std::move(item));
        }
        lua_pop(L, 1);
      }
      if (n > 0 && count != n) return false;  // holes or extra keys beside the sequence
      std::sort(out.map.begin(), out.map.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      if (count == 0) out.kind = ParamValue::Kind::List;
      return true;
    }
    default: return false;
  }
}

ParamType inferred_type(const ParamValue& v) {
  switch (v.kind) {
    case ParamValue::Kind::Bool: return ParamType::Boolean;
    case ParamValue::Kind::String: return ParamType::String;
    case ParamValue::Kind::List:
    case ParamValue::Kind::Map: return ParamType::List;
    default: return ParamType::Number;
  }
}

bool parse_param_type(std::string_view s, ParamType& out) {
  if (s == "number") out = ParamType::Number;
  else if (s == "integer") out = ParamType::Integer;
  else if (s == "boolean" || s == "bool") out = ParamType::Boolean;
  else if (s == "string") out = ParamType::String;
  else if (s == "list") out = ParamType::List;
  else return false;
  return true;
}

// A declared param: plain default, or {default=, type=, min=, max=, description=}
// (with name= too when it is an entry of the list form, `listed`).
// Stack on entry: ..., value (at top).
ParamSpec read_param(lua_State* L, const std::string& name, const std::string& path, bool listed = false) {
  ParamSpec spec;
  spec.name = name;
  const int v = lua_gettop(L);
  if (lua_type(L, v) != LUA_TTABLE) {
    if (!to_param_value(L, v, spec.default_value))
      load_error(path, fmt::format("param '{}': default must be a number, boolean or string, got {}",
                                   name, type_name(L, v)));
    spec.type = inferred_type(spec.default_value);
    return spec;
  }
  lua_pushnil(L);
  while (lua_next(L, v) != 0) {
    std::string_view key;
    if (!raw_string(L, -2, key) || (key != "default" && key != "type" && key != "min" && key != "max" &&
                                     key != "description" && !(listed && key == "name")))
      load_error(path, fmt::format("param '{}': unknown field {} (expected {}default, type, min, max, "
                                   "description)", name, describe_value(L, -2), listed ? "name, " : ""));
    lua_pop(L, 1);
  }
  raw_field(L, v, "default");
  if (!to_param_value(L, -1, spec.default_value))
    load_error(path, fmt::format("param '{}' needs a default (number, boolean, string, or a table of those)", name));
  lua_pop(L, 1);
  spec.type = inferred_type(spec.default_value);
  raw_field(L, v, "type");
  if (!lua_isnil(L, -1)) {
    std::string_view t;
    if (!raw_string(L, -1, t) || !parse_param_type(t, spec.type))
      load_error(path, fmt::format("param '{}': type must be \"number\", \"integer\", \"boolean\", "
                                   "\"string\" or \"list\", got {}", name, describe_value(L, -1)));
  }
  lua_pop(L, 1);
  for (const char* bound : {"min", "max"}) {
    raw_field(L, v, bound);
    if (!lua_isnil(L, -1)) {
      double b = 0;
      if (!raw_number(L, -1, b)) load_error(path, fmt::format("param '{}': {} must be a number", name, bound));
      (bound[1] == 'i' ? spec.min : spec.max) = b;
    }
    lua_pop(L, 1);
  }
  raw_field(L, v, "description");
  std::string_view d;
  if (raw_string(L, -1, d)) spec.description.assign(d);
  lua_pop(L, 1);

  // The default must satisfy its own declaration.
  const auto& dv = spec.default_value;
  const bool numeric = spec.type == ParamType::Number || spec.type == ParamType::Integer;
  if ((numeric && dv.kind != ParamValue::Kind::Number) ||
      (spec.type == ParamType::Integer && !dv.is_integer) ||
      (spec.type == ParamType::Boolean && dv.kind != ParamValue::Kind::Bool) ||
      (spec.type == ParamType::String && dv.kind != ParamValue::Kind::String) ||
      (spec.type == ParamType::List && dv.kind != ParamValue::Kind::List && dv.kind != ParamValue::Kind::Map) ||
      (spec.type != ParamType::List && (dv.kind == ParamValue::Kind::List || dv.kind == ParamValue::Kind::Map)))
    load_error(path, fmt::format("param '{}': default does not match type {}", name, to_string(spec.type)));
  if (numeric && ((spec.min && dv.number < *spec.min) || (spec.max && dv.number > *spec.max)))
    load_error(path, fmt::format("param '{}': default {} is outside [min, max]", name, dv.number));
  return spec;
}

// ---- declaration order -------------------------------------------------------------
// A Lua table does not remember the order of its keys, so the order params are
// declared in is read back from the script's text: the keys of the table
// constructor that follows the first `params =` (also `S.params =` and
// `params = helper{...}`), in source order. This needs no change to existing
// scripts; the list form ({ {name=, default=, ...}, ... }) states the order
// itself, for params built by code rather than written out.

struct Token {
  enum Kind { Name, String, Punct, Other } kind;
  std::string_view text;  // a String's contents without quotes or escapes processed
};

// Lua's lexical grammar, just enough to skip comments, strings and numbers.
std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  auto long_bracket = [&](std::size_t i) -> std::ptrdiff_t {  // level of "[==[" at i, or -1
    if (i >= s.size() || s[i] != '[') return -1;
    std::size_t j = i + 1;
    while (j < s.size() && s[j] == '=') ++j;
    return j < s.size() && s[j] == '[' ? static_cast<std::ptrdiff_t>(j - i - 1) : -1;
  };
  auto skip_long = [&](std::size_t i, std::ptrdiff_t level) {  // i at "[", returns past "]==]"
    const std::string close = "]" + std::string(static_cast<std::size_t>(level), '=') + "]";
    const std::size_t end = s.find(close, i + static_cast<std::size_t>(level) + 2);
    return end == std::string_view::npos ? s.size() : end + close.size();
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      const std::ptrdiff_t level = long_bracket(i + 2);
      if (level >= 0) {
        i = skip_long(i + 2, level);
      } else {
        const std::size_t eol = s.find('\n', i);
        i = eol == std::string_view::npos ? s.size() : eol + 1;
      }
    } else if (c == '"' || c == '\'') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != c && s[j] != '\n') j += s[j] == '\\' ? 2 : 1;
      out.push_back({Token::String, s.substr(i + 1, std::min(j, s.size()) - i - 1)});
      i = j + 1;
    } else if (const std::ptrdiff_t level = long_bracket(i); level >= 0) {
      const std::size_t end = skip_long(i, level);
      out.push_back({Token::String, {}});
      i = end;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      out.push_back({Token::Name, s.substr(i, j - i)});
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' ||
                              ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E'))))
        ++j;
      out.push_back({Token::Other, s.substr(i, j - i)});
      i = j;
    } else {
      const std::size_t n = s.compare(i, 2, "==") == 0 || s.compare(i, 2, "~=") == 0 ||
                                    s.compare(i, 2, "<=") == 0 || s.compare(i, 2, ">=") == 0 ||
                                    s.compare(i, 2, "..") == 0
                                ? 2
                                : 1;
      out.push_back({Token::Punct, s.substr(i, n)});
      i += n;
    }
  }
  return out;
}

bool is_punct(const Token& t, std::string_view p) { return t.kind == Token::Punct && t.text == p; }

// The keys of the params constructor in `source`, in order (empty if none is found).
std::vector<std::string> declared_param_order(std::string_view source) {
  const std::vector<Token> t = tokenize(source);
  std::vector<std::string> keys;
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    if (!(t[i].kind == Token::Name && t[i].text == "params" && is_punct(t[i + 1], "="))) continue;
    // `params =`, then a constructor, possibly as a call's argument: helper{...}, a.b({...}).
    std::size_t j = i + 2;
    while (j < t.size() && (t[j].kind == Token::Name || is_punct(t[j], ".") || is_punct(t[j], ":") ||
                            is_punct(t[j], "(")))
      ++j;
    if (j >= t.size() || !is_punct(t[j], "{")) continue;
    int depth = 0;
    for (std::size_t k = j; k < t.size(); ++k) {
      const Token& tok = t[k];
      if (is_punct(tok, "{") || is_punct(tok, "(") || is_punct(tok, "[")) {
        // A depth-1 field `["key"] =`.
        if (depth == 1 && is_punct(tok, "[") && k + 3 < t.size() && t[k + 1].kind == Token::String &&
            is_punct(t[k + 2], "]") && is_punct(t[k + 3], "=") &&
            (is_punct(t[k - 1], "{") || is_punct(t[k - 1], ",") || is_punct(t[k - 1], ";")))
          keys.emplace_back(t[k + 1].text);
        ++depth;
      } else if (is_punct(tok, "}") || is_punct(tok, ")") || is_punct(tok, "]")) {
        if (--depth == 0) return keys;
      } else if (depth == 1 && tok.kind == Token::Name && k + 1 < t.size() && is_punct(t[k + 1], "=") &&
                 (is_punct(t[k - 1], "{") || is_punct(t[k - 1], ",") || is_punct(t[k - 1], ";"))) {
        keys.emplace_back(tok.text);
      }
    }
    return keys;
  }
  return keys;
}

// Puts `params` in declared order: the keys the source's params constructor
// names, in source order, then the others in their current order (a list
// form's own order; name order for a table keyed by name).
void order_as_declared(std::vector<ParamSpec>& params, const std::string& path) {
  std::string source;
  if (params.size() < 2 || !read_text_file(path, source)) return;
  const std::vector<std::string> order = declared_param_order(source);
  auto rank = [&](const ParamSpec& p) {
    const auto it = std::find(order.begin(), order.end(), p.name);
    return static_cast<std::size_t>(it - order.begin());  // order.size() when not named there
  };
  std::stable_sort(params.begin(), params.end(),
                   [&](const ParamSpec& a, const ParamSpec& b) { return rank(a) < rank(b); });
}

std::string optional_string(lua_State* L, int t, const char* key, const std::string& path) {
  raw_field(L, t, key);
  std::string out;
  std::string_view s;
  if (raw_string(L, -1, s)) out.assign(s);
  else if (!lua_isnil(L, -1))
    load_error(path, fmt::format("field '{}' must be a string, got {}", key, type_name(L, -1)));
  lua_pop(L, 1);
  return out;
}

}  // namespace

ScriptHeader read_script_header(lua_State* L, int idx, const std::string& path) {
  idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
  if (lua_type(L, idx) != LUA_TTABLE)
    load_error(path, fmt::format("the script must return a table, it returned {}", type_name(L, idx)));
  ScriptHeader header;
  header.name = optional_string(L, idx, "name", path);
  header.description = optional_string(L, idx, "description", path);
  const std::string kind = optional_string(L, idx, "kind", path);
  if (kind.empty() || kind == "strategy") header.kind = ScriptKind::Strategy;
  else if (kind == "risk_policy") header.kind = ScriptKind::RiskPolicy;
  else load_error(path, fmt::format("kind must be \"strategy\" or \"risk_policy\", got \"{}\"", kind));

  // params: a table keyed by name ({fast = 10, ...}) or, to state the order in
  // the value itself, a list of entries ({ {name = "fast", default = 10}, ... }).
  raw_field(L, idx, "params");
  const int params = lua_gettop(L);
  if (lua_type(L, params) == LUA_TTABLE) {
    const int listed = static_cast<int>(lua_objlen(L, params));
    lua_pushnil(L);
    while (lua_next(L, params) != 0) {
      std::string_view key;
      double k = 0;
      if (raw_string(L, -2, key)) {
        if (listed > 0)
          load_error(path, fmt::format("params: a list of params cannot also have a field keyed by name "
                                       "('{}')", key));
        header.params.push_back(read_param(L, std::string(key), path));
      } else if (!raw_number(L, -2, k) || k != std::floor(k) || k < 1 || k > listed) {
        load_error(path, fmt::format("params: keys must be names, got {}", describe_value(L, -2)));
      }
      lua_pop(L, 1);
    }
    std::sort(header.params.begin(), header.params.end(),
              [](const ParamSpec& a, const ParamSpec& b) { return a.name < b.name; });
    for (int i = 1; i <= listed; ++i) {
      lua_rawgeti(L, params, i);  // stack: ..., params, entry
      std::string_view name;
      if (lua_type(L, -1) == LUA_TTABLE) raw_field(L, -1, "name");
      else lua_pushnil(L);
      if (!raw_string(L, -1, name) || name.empty())
        load_error(path, fmt::format("params[{}] must be a table with a name, {{name = \"...\", default = ...}}", i));
      const std::string param_name(name);
      lua_pop(L, 1);
      for (const auto& p : header.params)
        if (p.name == param_name) load_error(path, fmt::format("param '{}' is declared twice", param_name));
      header.params.push_back(read_param(L, param_name, path, true));
      lua_pop(L, 1);
    }
  } else if (!lua_isnil(L, params)) {
    load_error(path, "field 'params' must be a table");
  }
  lua_settop(L, params - 1);
  order_as_declared(header.params, path);
  return header;
}

LuaRef function_ref(lua_State* L, int idx, const char* key, bool required, const std::string& path) {
  raw_field(L, idx, key);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    if (required) load_error(path, fmt::format("the script must define {}", key));
    return {};
  }
  if (lua_type(L, -1) != LUA_TFUNCTION)
    load_error(path, fmt::format("{} must be a function, got {}", key, type_name(L, -1)));
  return LuaRef::pop(L);
}

// One value as a Lua value: lists as sequences, mappings as tables keyed by name.
void push_param_value(lua_State* L, const ParamValue& v) {
  if (!lua_checkstack(L, 3)) throw std::runtime_error("values nested too deep for the Lua stack");
  switch (v.kind) {
    case ParamValue::Kind::Bool: lua_pushboolean(L, v.boolean); break;
    case ParamValue::Kind::String: lua_pushlstring(L, v.text.data(), v.text.size()); break;
    case ParamValue::Kind::List:
      lua_createtable(L, static_cast<int>(v.list.size()), 0);
      for (std::size_t i = 0; i < v.list.size(); ++i) {
        push_param_value(L, v.list[i]);
        lua_rawseti(L, -2, static_cast<int>(i + 1));
      }
      break;
    case ParamValue::Kind::Map:
      lua_createtable(L, 0, static_cast<int>(v.map.size()));
      for (const auto& [key, item] : v.map) {
        lua_pushlstring(L, key.data(), key.size());
        push_param_value(L, item);
        lua_rawset(L, -3);
      }
      break;
    default: lua_pushnumber(L, v.number); break;
  }
}

void push_params(lua_State* L, const ResolvedParams& params) {
  lua_createtable(L, 0, static_cast<int>(params.size()));
  for (const auto& [name, v] : params) {
    lua_pushlstring(L, name.data(), name.size());
    push_param_value(L, v);
    lua_rawset(L, -3);
  }
}

std::string file_stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

LoadedHeader check_loaded_header(lua_State* L, int idx, const std::string& path, ScriptKind expected,
                                 const char* wrong_kind, const ParamMap& overrides,
                                 std::string_view config_key) {
  const ScriptHeader header = read_script_header(L, idx, path);
  if (header.kind != expected) throw ScriptError(ScriptError::Kind::Load, path, "", wrong_kind);
  LoadedHeader out;
  out.name = header.name.empty() ? file_stem(path) : header.name;
  out.params = resolve_params(header.params, overrides,
                              fmt::format("{} '{}'", expected == ScriptKind::Strategy ? "strategy" : "risk policy",
                                          out.name),
                              config_key);
  return out;
}

std::string save_ctx_state(lua_State* L, const LuaRef& ctx, const std::string& path) {
  const int top = lua_gettop(L);
  ctx.push(L);
  lua_getfenv(L, -1);
  try {
    std::string json = encode_plain_state(L, -1);
    lua_settop(L, top);
    return json;
  } catch (const PlainStateError& e) {
    lua_settop(L, top);
    throw ScriptError(ScriptError::Kind::Runtime, path, "checkpoint", e.what());
  }
}

void restore_ctx_state(lua_State* L, const LuaRef& ctx, const std::string& path, const std::string& json) {
  const int top = lua_gettop(L);
  ctx.push(L);
  try {
    push_plain_state(L, json);
  } catch (const PlainStateError& e) {
    lua_settop(L, top);
    throw ScriptError(ScriptError::Kind::Runtime, path, "resume", e.what());
  }
  lua_setfenv(L, -2);
  lua_settop(L, top);
}

}  // namespace qtrader
