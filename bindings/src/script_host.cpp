// ScriptHost's lifecycle: a capped lua_State with the sandbox prelude, and the
// loading of script files into fresh environments.
#include "qtrader/lua/script_host.hpp"

#include <atomic>
#include <cstdlib>

#include <fmt/format.h>
#include <lua.hpp>
#include <luajit.h>  // after lua.hpp, which wraps lua.h in extern "C"

#include "gate.hpp"
#include "host_functions.hpp"
#include "host_state.hpp"
#include "qtrader/errors.hpp"
#include "sandbox_prelude.hpp"

namespace qtrader {

namespace {

// Lua's allocator contract: nsize == 0 frees; otherwise (re)allocate. Growth
// is refused past the cap while Lua runs in the gate (the state then raises
// LUA_ERRMEM); shrinking and freeing always succeed.
void* capped_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* h = static_cast<HostState*>(ud);
  const std::size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    std::free(ptr);
    h->used -= old;
    return nullptr;
  }
  if (nsize > old && h->enforce_cap && h->used - old + nsize > h->limits.memory_bytes) {
    h->out_of_memory = true;
    return nullptr;
  }
  void* p = std::realloc(ptr, nsize);
  if (p) h->used = h->used - old + nsize;
  return p;
}

// Last resort for an error outside any pcall: without this LuaJIT calls
// exit(1). Throwing works with LuaJIT's C++ interop on x64 (docs/sandbox.md,
// "LuaJIT facts the host relies on"); the
// state is poisoned afterwards.
int throwing_panic(lua_State* L) {
  HostState* h = host_state_of(L);
  h->poisoned = true;
  h->in_call = false;
  h->running_call.store(0);
  h->enforce_cap = false;
  std::string message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "unknown error";
  throw ScriptError(ScriptError::Kind::Runtime, "<lua host>", "",
                    "unprotected error in the Lua state: " + message);
}

// Globals removed from the real _G once the prelude holds what it needs.
constexpr const char* kRemovedGlobals[] = {
    "io",      "os",      "debug",    "package", "require", "ffi",      "jit",
    "load",    "loadstring", "loadfile", "dofile", "getfenv", "setfenv", "newproxy",
    "collectgarbage", "gcinfo", "module", "print"};

constexpr const char* kBarKeyNames[HostState::kBarKeys] = {
    "symbol", "ts", "time", "open", "high", "low", "close", "volume", "adj_close",
    "timeframe", "price", "size", "bid", "ask"};

}  // namespace

ScriptHost::ScriptHost(ScriptLimits limits, std::vector<std::string> module_roots)
    : state_(std::make_unique<HostState>()) {
  HostState& h = *state_;
  h.limits = limits;
  h.module_roots = std::move(module_roots);
  h.rng = limits.random_seed;
  // In a supervised child the parent enforces the budget from outside, so
  // strict mode keeps the JIT on (docs/sandbox.md, "Supervised strict mode").
  h.publisher = attached_call_publisher();
  static std::atomic<std::uint64_t> hosts{0};
  h.host_serial = (hosts.fetch_add(1, std::memory_order_relaxed) + 1) << 40;
  L_ = lua_newstate(capped_alloc, &h);
  if (!L_) throw ScriptError(ScriptError::Kind::Memory, "<lua host>", "", "cannot create a Lua state");
  lua_atpanic(L_, throwing_panic);
  try {
    luaL_openlibs(L_);
    // Strict mode: no code of this state is ever compiled. Compiled traces
    // never see the watchdog's count hook, and turning the JIT off per script
    // chunk is not enough: LuaJIT writes some library functions in Lua
    // (table.move, table.remove), and those compile as soon as a script runs
    // them hot (docs/sandbox.md, "Strict and trusted mode", T24).
    if (!h.limits.jit_for_scripts && !h.publisher) luaJIT_setmode(L_, 0, LUAJIT_MODE_ENGINE | LUAJIT_MODE_OFF);
    lua_settop(L_, 0);
    lua_pushcfunction(L_, gate_message_handler);  // stays at kMessageHandlerSlot

    // stack: handler, prelude, host -> handler, make_env
    if (luaL_loadbuffer(L_, kSandboxPrelude.data(), kSandboxPrelude.size(), "=sandbox_prelude") != 0)
      throw ScriptError(ScriptError::Kind::Load, "<sandbox prelude>", "", lua_tostring(L_, -1));
    push_host_functions(L_);
    lua_call(L_, 1, 1);
    h.make_env_ref = luaL_ref(L_, LUA_REGISTRYINDEX);

    for (const char* name : kRemovedGlobals) {
      lua_pushnil(L_);
      lua_setfield(L_, LUA_GLOBALSINDEX, name);
    }
    lua_newtable(L_);
    h.loaded_modules_ref = luaL_ref(L_, LUA_REGISTRYINDEX);

    // Anchor the bar field names so their interned pointers stay valid.
    lua_createtable(L_, HostState::kBarKeys, 0);
    for (int k = 0; k < HostState::kBarKeys; ++k) {
      lua_pushstring(L_, kBarKeyNames[k]);
      h.bar_keys[k] = lua_tostring(L_, -1);
      lua_rawseti(L_, -2, k + 1);
    }
    luaL_ref(L_, LUA_REGISTRYINDEX);

    lua_gc(L_, LUA_GCCOLLECT, 0);
    h.watchdog = std::make_unique<Watchdog>(L_, h);  // last: nothing after it can throw
  } catch (...) {
    lua_close(L_);
    throw;
  }
}

ScriptHost::~ScriptHost() {
  state_->watchdog.reset();  // its thread may touch the state until joined
  if (L_) lua_close(L_);
}

void ScriptHost::set_module_scopes(std::vector<ModuleScope> scopes) {
  state_->module_scopes = std::move(scopes);
  state_->resolved_modules.clear();
}

const ScriptLimits& ScriptHost::limits() const noexcept { return state_->limits; }
std::size_t ScriptHost::memory_used() const noexcept { return state_->used; }
const std::vector<std::string>& ScriptHost::required_files() const noexcept {
  return state_->required_files;
}
void ScriptHost::retire_objects() noexcept { ++state_->generation; }

void ScriptHost::load_file(const std::string& path) {
  std::string source;
  if (!read_text_file(path, source))
    throw ScriptError(ScriptError::Kind::Load, path, "", "cannot read the script file");
  const int rc = load_sandboxed_chunk(L_, *state_, source, "@" + path);
  if (rc != 0) {
    std::string message = lua_type(L_, -1) == LUA_TSTRING ? lua_tostring(L_, -1) : "load failed";
    lua_pop(L_, 1);
    // Compile errors carry "path:line:"; LuaJIT cuts long paths to "...tail".
    if (message.rfind("...", 0) == 0) {
      const auto colon = message.find(':');
      const std::string tail = message.substr(3, colon - 3);
      if (colon != std::string::npos && path.size() >= tail.size() &&
          path.compare(path.size() - tail.size(), tail.size(), tail) == 0)
        message = path + message.substr(colon);
    }
    throw ScriptError(rc == LUA_ERRMEM ? ScriptError::Kind::Memory : ScriptError::Kind::Load, path,
                      "", message);
  }
  call(0, 1, path, "<main chunk>", state_->limits.init_seconds);
}

std::string ScriptHost::evaluate(std::string_view source, std::string_view chunk_name) {
  const std::string name(chunk_name);
  if (load_sandboxed_chunk(L_, *state_, source, name) != 0) {
    std::string message = lua_tostring(L_, -1);
    lua_pop(L_, 1);
    throw ScriptError(ScriptError::Kind::Load, name, "", message);
  }
  call(0, 1, name, "<eval>", state_->limits.init_seconds);
  std::string out;
  switch (lua_type(L_, -1)) {
    case LUA_TSTRING:
    case LUA_TNUMBER: {
      std::size_t n = 0;
      const char* s = lua_tolstring(L_, -1, &n);  // numbers: converts a copy on the stack only
      out.assign(s, n);
      break;
    }
    case LUA_TBOOLEAN: out = lua_toboolean(L_, -1) ? "true" : "false"; break;
    default: out = lua_typename(L_, lua_type(L_, -1));
  }
  lua_pop(L_, 1);
  return out;
}

}  // namespace qtrader
