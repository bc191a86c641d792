// LuaRef: owns one reference in a lua_State's registry (luaL_ref), released
// with luaL_unref when it is destroyed or reset. Move-only, so each stored
// function or table of a script has exactly one owner and no unref list to
// keep in sync. A LuaRef must not outlive its state: scripts, which hold them,
// are destroyed before their ScriptHost.
#pragma once

struct lua_State;

namespace qtrader {

class LuaRef {
 public:
  LuaRef() noexcept = default;
  // Pops the value on top of L's stack into the registry. A nil stays empty
  // (and is popped too).
  static LuaRef pop(lua_State* L);

  ~LuaRef() { reset(); }
  LuaRef(LuaRef&& other) noexcept : L_(other.L_), ref_(other.ref_) { other.L_ = nullptr; }
  LuaRef& operator=(LuaRef&& other) noexcept {
    if (this != &other) {
      reset();
      L_ = other.L_;
      ref_ = other.ref_;
      other.L_ = nullptr;
    }
    return *this;
  }
  LuaRef(const LuaRef&) = delete;
  LuaRef& operator=(const LuaRef&) = delete;

  explicit operator bool() const noexcept { return L_ != nullptr; }
  // Pushes the referenced value onto L's stack (nil when empty). L is the
  // ref's state or one of its threads.
  void push(lua_State* L) const;
  void reset() noexcept;

 private:
  lua_State* L_ = nullptr;  // null when empty
  int ref_ = 0;
};

}  // namespace qtrader
