// One sandboxed LuaJIT state per run. Every call into Lua goes through
// ScriptHost::call (the "gate"), which enforces the time and memory budgets and
// turns any failure into a typed ScriptError naming the script, callback and line.
//
// Threading: a host and everything loaded into it belong to one thread.
// Lifetime: scripts loaded into a host (StrategyScript, RiskScript) must be
// destroyed before the host.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/lua/script_limits.hpp"

struct lua_State;

namespace qtrader {

struct HostState;  // bindings/src/host_state.hpp

// Where `require` looks for a script of one library (docs/libraries.md,
// "Modules"). A library with a manifest (`isolated`) finds its own modules,
// then those of the libraries it declares, then the built-in modules, and never
// another folder; a folder without a manifest finds its own modules, then
// searches every module root in order, as before libraries existed.
struct ModuleScope {
  std::string name;                      // the library's name; "" for a folder without a manifest
  std::vector<std::string> roots;        // its folders, absolute
  bool isolated = false;
  std::vector<std::size_t> dependencies;  // indices of the scopes it requires, in declared order
};

class ScriptHost {
 public:
  // `module_roots`: the folders `require` may load from, searched in order
  // (script roots, then the engine's scripts/ folder).
  explicit ScriptHost(ScriptLimits limits = {}, std::vector<std::string> module_roots = {});
  ~ScriptHost();
  ScriptHost(const ScriptHost&) = delete;
  ScriptHost& operator=(const ScriptHost&) = delete;

  // The libraries scripts belong to (a script is in the scope whose root holds
  // its file); without scopes, `require` searches the module roots in order.
  void set_module_scopes(std::vector<ModuleScope> scopes);

  const ScriptLimits& limits() const noexcept;
  // Bytes currently held by the state's allocator.
  std::size_t memory_used() const noexcept;
  // Files loaded so far by `require`, in load order (for dependency tracking).
  const std::vector<std::string>& required_files() const noexcept;

  // Makes every ctx / indicator object handed to scripts unusable from now on
  // (a script that kept one in a global gets an error instead of a dangling pointer).
  void retire_objects() noexcept;

  // Runs `source` as a sandboxed chunk (text only, fresh environment, JIT off
  // unless limits allow it) and returns its first result converted without
  // metamethods: strings and numbers as text, booleans as "true"/"false",
  // nil as "nil", anything else as its type name. For tests and tooling.
  std::string evaluate(std::string_view source, std::string_view chunk_name = "=eval");

  // ---- for the bindings (needs lua.h) -------------------------------------------
  lua_State* state() const noexcept { return L_; }
  HostState& host_state() const noexcept { return *state_; }

  // Reads `path`, compiles it in text mode as "@path" into a fresh sandboxed
  // environment and runs the main chunk through the gate; leaves the chunk's
  // first result on the stack. ScriptError(Load) when the file cannot be read or
  // compiled; the chunk's own errors are reported like a callback "<main chunk>".
  void load_file(const std::string& path);

  // The gate. Stack on entry: ... function arg1..argN. Runs the function in
  // protected mode with the given budget; on success leaves `nresults` results,
  // on failure restores the stack and throws ScriptError.
  void call(int nargs, int nresults, const std::string& script, const char* callback,
            double budget_seconds);

 private:
  std::unique_ptr<HostState> state_;
  lua_State* L_ = nullptr;
};

}  // namespace qtrader
