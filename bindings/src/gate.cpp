// ScriptHost::call — the single protected entry into Lua (Neovim's nlua_pcall,
// Redis's luaCallFunction).
#include "gate.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "host_state.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/script_host.hpp"

namespace qtrader {

namespace {

// "path:line: " of the innermost frame of a script file ("@path" chunk); the
// prelude's own frames ("=sandbox_prelude") and C functions are skipped, so an
// error object re-raised by coroutine.wrap still points at the script.
void push_script_location(lua_State* L) {
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0 || !ar.source || ar.source[0] != '@') continue;
    lua_pushfstring(L, "%s:%d: ", ar.source + 1, ar.currentline);
    return;
  }
  lua_pushliteral(L, "");
}

}  // namespace

int gate_message_handler(lua_State* L) {
  // The call is over; building the report must not fail for lack of memory.
  host_state_of(L)->enforce_cap = false;
  const int t = lua_type(L, 1);
  const char* msg;
  if (t == LUA_TSTRING || t == LUA_TNUMBER) {
    msg = lua_tostring(L, 1);
  } else {
    // Never tostring() the object: its __tostring could throw or loop (docs/sandbox.md, T15).
    push_script_location(L);
    msg = lua_pushfstring(L, "%s(error object is a %s value)", lua_tostring(L, -1), lua_typename(L, t));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

void gate_count_hook(lua_State* L, lua_Debug*) {
  HostState* h = host_state_of(L);
  const std::uint64_t call = h->running_call.load(std::memory_order_acquire);
  if (call == 0 || h->killed_call.load(std::memory_order_acquire) != call) {
    // Armed for a call that has ended meanwhile: nothing to stop.
    lua_sethook(L, nullptr, 0, 0);
    return;
  }
  // Name the innermost line of a script file, not the prelude's wrappers
  // (a loop through string.gsub is stopped inside the wrapper).
  char where[512] = "";
  lua_Debug ar;
  for (int level = 0; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
    const bool script = ar.source && ar.source[0] == '@';
    if (!script && where[0]) continue;
    std::snprintf(where, sizeof where, "%s:%d: ", script ? ar.source + 1 : ar.short_src, ar.currentline);
    if (script) break;
  }
  char message[640];
  std::snprintf(message, sizeof message, "%stime budget of %g s exceeded", where,
                h->budget_seconds.load(std::memory_order_relaxed));
  lua_pushstring(L, message);
  lua_error(L);
}

namespace {

// LuaJIT shortens "@path" chunk names to 60 characters ("...tail:line: msg");
// put the full path back when the tail is this script's.
std::string expand_short_path(std::string message, const std::string& script) {
  if (message.rfind("...", 0) != 0) return message;
  const auto colon = message.find(':');
  if (colon == std::string::npos) return message;
  const std::string tail = message.substr(3, colon - 3);
  if (script.size() >= tail.size() && script.compare(script.size() - tail.size(), tail.size(), tail) == 0)
    return script + message.substr(colon);
  return message;
}

// "path:line" of the innermost frame of a .lua file in a traceback
// ("\t/x/rec.lua:2: in function 'f'"), or empty.
std::string first_script_frame(const std::string& traceback) {
  std::size_t at = 0;
  while ((at = traceback.find("\n\t", at)) != std::string::npos) {
    at += 2;
    const std::size_t lua = traceback.find(".lua:", at);
    const std::size_t eol = traceback.find('\n', at);
    if (lua == std::string::npos || (eol != std::string::npos && lua > eol)) continue;
    const std::size_t digits = lua + 5;
    std::size_t end = digits;
    while (end < traceback.size() && traceback[end] >= '0' && traceback[end] <= '9') ++end;
    if (end > digits && end < traceback.size() && traceback[end] == ':')
      return traceback.substr(at, end - at);
  }
  return {};
}

// LuaJIT raises its stack overflows without a position: they get the
// innermost script line of the traceback. (A script's own error(msg, 0) keeps
// its message as written: it asked for no position.)
std::string with_location(std::string message, const std::string& traceback) {
  const bool positionless = message.rfind("stack overflow", 0) == 0 ||
                            message.rfind("C stack overflow", 0) == 0;
  if (!positionless) return message;
  const std::string where = first_script_frame("\n" + traceback);
  return where.empty() ? message : where + ": " + message;
}

// Supervised strict mode: tells the parent which call runs, for how long it
// may (call_monitor.hpp).
void publish_call(HostState& h, const std::string& script, const char* callback, double budget_seconds,
                  std::uint64_t call) {
  if (budget_seconds != h.last_budget || h.last_callback != callback || h.last_script != script) {
    h.last_identity = h.publisher->identity(script, callback, budget_seconds);
    h.last_script = script;
    h.last_callback = callback;
    h.last_budget = budget_seconds;
  }
  CallMonitorPage& page = h.publisher->page();
  static thread_local const pid_t thread = ::gettid();  // a system call once per thread
  page.thread.store(thread, std::memory_order_relaxed);
  page.identity.store(h.last_identity, std::memory_order_relaxed);
  page.call.store(h.host_serial | call, std::memory_order_release);
}

}  // namespace

void ScriptHost::call(int nargs, int nresults, const std::string& script, const char* callback,
                      double budget_seconds) {
  HostState& h = *state_;
  lua_State* L = L_;
  const int func = lua_gettop(L) - nargs;  // the function's slot
  if (h.poisoned || h.in_call) {
    lua_settop(L, func - 1);
    throw ScriptError(ScriptError::Kind::Usage, script, callback,
                      h.poisoned ? "the Lua state failed earlier and cannot run scripts any more"
                                 : "re-entrant call into Lua");
  }
  h.nest = 0;
  h.out_of_memory = false;
  const std::uint64_t call = ++h.call_seq;
  h.budget_seconds.store(budget_seconds, std::memory_order_relaxed);
  h.vm_clock.store(this_thread_cpu_clock(), std::memory_order_relaxed);
  h.running_call.store(call, std::memory_order_release);
  if (h.publisher) publish_call(h, script, callback, budget_seconds, call);
  h.in_call = true;
  h.enforce_cap = true;
  const int rc = lua_pcall(L, nargs, nresults, kMessageHandlerSlot);
  h.enforce_cap = false;
  h.in_call = false;
  h.running_call.store(0, std::memory_order_release);
  if (h.publisher) h.publisher->page().call.store(0, std::memory_order_release);
  const bool killed = h.killed_call.load(std::memory_order_acquire) == call;
  if (killed) lua_sethook(L, nullptr, 0, 0);
  if (rc == 0) return;

  ScriptError::Kind kind = ScriptError::Kind::Runtime;
  std::string text;
  // A refused allocation that a pcall or a coroutine turned into an ordinary
  // error still means the state is at its cap: report and recover the same way.
  if (rc == LUA_ERRMEM || h.out_of_memory) {
    kind = ScriptError::Kind::Memory;
    text = fmt::format("not enough memory (the scripts' limit is {} MiB)",
                       static_cast<double>(h.limits.memory_bytes) / (1024.0 * 1024.0));
    lua_settop(L, func - 1);
    // LuaJIT has no emergency GC: without a full collection the state stays
    // wedged at the cap and every later call fails too.
    lua_gc(L, LUA_GCCOLLECT, 0);
  } else {
    if (lua_type(L, -1) == LUA_TSTRING) text = lua_tostring(L, -1);
    else text = "(error object is not a string)";
    lua_settop(L, func - 1);
    if (rc == LUA_ERRERR) kind = ScriptError::Kind::ErrorInHandler;
    else if (killed) kind = ScriptError::Kind::Timeout;
  }
  std::string traceback;
  if (const auto at = text.find("\nstack traceback:"); at != std::string::npos) {
    traceback = text.substr(at + 1);
    text.resize(at);
  }
  text = with_location(expand_short_path(std::move(text), script), traceback);
  throw ScriptError(kind, script, callback, std::move(text), std::move(traceback));
}

}  // namespace qtrader
