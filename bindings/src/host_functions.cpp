#include "host_functions.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"

#include "lua_raw.hpp"
#include "userdata_support.hpp"
#include "module_resolver.hpp"
#include "trampoline.hpp"

namespace qtrader {

namespace {

int nest_enter(lua_State* L) {
  HostState* h = host_state_of(L);
  if (h->nest >= kMaxNesting)
    throw std::runtime_error("coroutine or gsub callback nesting too deep");
  ++h->nest;
  return 0;
}

int nest_leave(lua_State* L) {
  HostState* h = host_state_of(L);
  if (h->nest > 0) --h->nest;
  return 0;
}

// splitmix64: small, fast and fully determined by the run's seed.
std::uint64_t next_random(HostState& h) {
  std::uint64_t z = (h.rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// math.random semantics of Lua 5.1: () -> [0,1), (m) -> [1,m], (m,n) -> [m,n];
// trailing nils are left-out arguments (math.random(6, nil) is math.random(6)).
int random(lua_State* L) {
  const double r = static_cast<double>(next_random(*host_state_of(L)) >> 11) * 0x1.0p-53;
  const int n = given_arguments(L);
  if (n == 0) {
    lua_pushnumber(L, r);
    return 1;
  }
  double lo = 1, hi = 0;
  if (n == 1) {
    if (!raw_number(L, 1, hi)) throw std::invalid_argument("math.random: number expected");
  } else if (!raw_number(L, 1, lo) || !raw_number(L, 2, hi)) {
    throw std::invalid_argument("math.random: numbers expected");
  }
  lo = std::floor(lo);
  hi = std::floor(hi);
  if (!(lo <= hi)) throw std::invalid_argument("math.random: interval is empty");
  lua_pushnumber(L, std::floor(r * (hi - lo + 1)) + lo);
  return 1;
}

// To the run's log only (never stdout, where a caller reads the results
// path), one escaped line per call.
int print(lua_State* L) {
  run_log().info("{} {}", lua_location(L, 1), join_arguments(L, 1, '\t'));
  return 0;
}

// string.find(s, p, init, true) with LuaJIT's own rules for `init` (a
// negative init counts from the end; past the end searches the empty tail),
// but with glibc's memmem (two-way: linear in both lengths) instead of
// LuaJIT's memchr + memcmp, which is quadratic in the worst case and runs
// inside one C call where no hook reaches (docs/sandbox.md, T24).
int find_plain(lua_State* L) {
  std::size_t len = 0, plen = 0;
  const char* s = lua_tolstring(L, 1, &len);   // the prelude passes strings only
  const char* p = lua_tolstring(L, 2, &plen);
  if (!s || !p) throw std::invalid_argument("bad argument to 'find' (string expected)");
  std::int64_t start = 1;
  if (!is_default_argument(L, 3)) {
    if (!lua_isnumber(L, 3))
      throw std::invalid_argument(fmt::format("bad argument #3 to 'find' (number expected, got {})",
                                              type_name(L, 3)));
    const double d = lua_tonumber(L, 3);
    start = std::isfinite(d) ? static_cast<std::int64_t>(std::clamp(d, -4e18, 4e18)) : 0;
  }
  const auto n = static_cast<std::int64_t>(len);
  start = start < 0 ? start + n : start - 1;
  start = std::clamp<std::int64_t>(start, 0, n);
  const void* hit = ::memmem(s + start, len - static_cast<std::size_t>(start), p, plen);
  if (!hit) {
    lua_pushnil(L);
    return 1;
  }
  const auto at = static_cast<lua_Number>(static_cast<const char*>(hit) - s);
  lua_pushnumber(L, at + 1);
  lua_pushnumber(L, at + static_cast<lua_Number>(plen));
  return 2;
}

bool valid_module_name(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  char prev = 0;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  return true;
}

// require(name): "a.b" -> a/b.lua in the caller's library, its dependencies,
// or (for a folder without a manifest) the first module root that has it
// (module_resolver.hpp).
// Each script has its own instances of the modules it requires (upvalue 1:
// path -> module), shared with those modules but with no other script, so one
// strategy can never reach another's state or patch a library another uses
// (docs/sandbox.md, T26). Each module runs in its own sandboxed environment;
// nothing outside the roots is reachable (the name cannot hold '/' or "..",
// and a file whose real path leaves its folder is refused).
int require(lua_State* L) {
  HostState* h = host_state_of(L);
  std::string_view name_arg;
  if (!raw_string(L, 1, name_arg)) throw std::invalid_argument("require: module name must be a string");
  const std::string name(name_arg);  // the argument's slot is reused below
  if (!valid_module_name(name))
    throw std::invalid_argument(fmt::format("require: invalid module name '{}'", name));
  // A module the host preloaded (the test kit's "qtrader.testkit") is in the
  // cache under "=NAME": no file path starts with '='.
  lua_settop(L, 1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->loaded_modules_ref);
  lua_pushfstring(L, "=%s", name.c_str());
  lua_rawget(L, -2);
  if (!lua_isnil(L, -1)) return 1;
  lua_settop(L, 1);
  // Modules are cached by file: two libraries' "helpers" are two modules.
  std::string searched;
  const std::string path = resolve_module(*h, calling_file(L), name, searched);
  if (path.empty())
    throw std::runtime_error(fmt::format("require: module '{}' not found in {}", name, searched));
  std::string source;
  lua_settop(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));  // stack: name, loaded (this script's modules)
  lua_pushlstring(L, path.data(), path.size());  // loaded is keyed by file
  lua_replace(L, 1);  // stack: path, loaded
  lua_pushvalue(L, 1);
  lua_rawget(L, 2);  // stack: path, loaded, loaded[path]
  if (lua_type(L, 3) == LUA_TLIGHTUSERDATA)
    throw std::runtime_error(fmt::format("require: module '{}' requires itself (circular)", name));
  if (!lua_isnil(L, 3)) return 1;
  lua_pop(L, 1);
  if (!read_text_file(path, source)) throw std::runtime_error(fmt::format("require: cannot read {}", path));

  lua_pushvalue(L, 1);
  lua_pushlightuserdata(L, h);  // "loading" marker, to catch circular requires
  lua_rawset(L, 2);
  if (load_sandboxed_chunk(L, *h, source, "@" + path, lua_upvalueindex(1)) != 0) {
    // Keep the module's own "path:line:" (syntax errors) and say who required it.
    std::string message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "cannot load";
    if (message.find(path) == std::string::npos) message = path + ": " + message;
    throw std::runtime_error(fmt::format("require '{}': {}", name, message));
  }
  lua_pushlstring(L, name.data(), name.size());
  lua_call(L, 1, 1);  // stack: path, loaded, result
  if (lua_isnil(L, 3)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 3);
  lua_rawset(L, 2);
  h->required_files.push_back(path);
  return 1;
}

}  // namespace

void push_host_functions(lua_State* L) {
  static const luaL_Reg kFunctions[] = {
      {"nest_enter", lj_cfunc<nest_enter>}, {"nest_leave", lj_cfunc<nest_leave>},
      {"random", lj_cfunc<random>},         {"print", lj_cfunc<print>},
      {"find_plain", lj_cfunc<find_plain>}, {nullptr, nullptr}};
  lua_newtable(L);
  for (const luaL_Reg* f = kFunctions; f->name; ++f) {
    lua_pushcfunction(L, f->func);
    lua_setfield(L, -2, f->name);
  }
}

int load_sandboxed_chunk(lua_State* L, const HostState& h, std::string_view source,
                         const std::string& chunk_name, int modules) {
  const int rc = luaL_loadbufferx(L, source.data(), source.size(), chunk_name.c_str(), "t");
  if (rc != 0) return rc;
  lua_rawgeti(L, LUA_REGISTRYINDEX, h.make_env_ref);
  lua_call(L, 0, 1);  // stack: chunk, env
  lua_pushliteral(L, "require");
  if (modules == 0) lua_newtable(L);
  else lua_pushvalue(L, modules);
  lua_pushcclosure(L, lj_cfunc<require>, 1);
  lua_rawset(L, -3);
  lua_setfenv(L, -2);
  return 0;
}

bool read_text_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return false;
  out = buffer.str();
  return true;
}

}  // namespace qtrader
