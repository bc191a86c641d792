#include "host_functions.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <luajit.h>
#include <spdlog/spdlog.h>

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
  spdlog::info("{} {}", lua_location(L, 1), join_arguments(L, 1, '\t'));
  return 0;
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
// Modules are cached per state and run in their own sandboxed environment;
// nothing outside the roots is reachable (the name cannot hold '/' or "..").
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
  lua_rawgeti(L, LUA_REGISTRYINDEX, h->loaded_modules_ref);  // stack: name, loaded
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
  if (load_sandboxed_chunk(L, *h, source, "@" + path) != 0) {
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
      {"require", lj_cfunc<require>},       {nullptr, nullptr}};
  lua_newtable(L);
  for (const luaL_Reg* f = kFunctions; f->name; ++f) {
    lua_pushcfunction(L, f->func);
    lua_setfield(L, -2, f->name);
  }
}

int load_sandboxed_chunk(lua_State* L, const HostState& h, std::string_view source,
                         const std::string& chunk_name) {
  const int rc = luaL_loadbufferx(L, source.data(), source.size(), chunk_name.c_str(), "t");
  if (rc != 0) return rc;
  lua_rawgeti(L, LUA_REGISTRYINDEX, h.make_env_ref);
  lua_call(L, 0, 1);
  lua_setfenv(L, -2);
  // Compiled loops never see the count hook (docs/sandbox.md, strict and trusted
  // mode): keep user code interpreted.
  if (!h.limits.jit_for_scripts) luaJIT_setmode(L, -1, LUAJIT_MODE_ALLFUNC | LUAJIT_MODE_OFF);
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
