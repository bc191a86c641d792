#include "qtrader/lua/lua_ref.hpp"

#include <lua.hpp>

namespace qtrader {

LuaRef LuaRef::pop(lua_State* L) {
  LuaRef out;
  const int ref = luaL_ref(L, LUA_REGISTRYINDEX);  // LUA_REFNIL for nil, nothing stored
  if (ref != LUA_REFNIL && ref != LUA_NOREF) {
    out.L_ = L;
    out.ref_ = ref;
  }
  return out;
}

void LuaRef::push(lua_State* L) const {
  if (L_) lua_rawgeti(L, LUA_REGISTRYINDEX, ref_);
  else lua_pushnil(L);
}

void LuaRef::reset() noexcept {
  if (L_) luaL_unref(L_, LUA_REGISTRYINDEX, ref_);
  L_ = nullptr;
}

}  // namespace qtrader
