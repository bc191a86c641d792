// Every C function bound into Lua is wrapped by lj_cfunc<Impl> (sol2's
// lua_cfunction_trampoline): C++ exceptions stop here and become Lua errors
// carrying the calling script's file:line. lua_error runs outside the catch
// block, so no C++ exception is in flight while Lua unwinds.
// Catch std::exception only: LuaJIT's own error unwinding must pass through.
#pragma once

#include <exception>
#include <string>

#include <lua.hpp>

namespace qtrader {

[[noreturn]] void raise_lua_error(lua_State* L, const std::string& message);

template <lua_CFunction Impl>
int lj_cfunc(lua_State* L) {
  std::string message;
  try {
    return Impl(L);
  } catch (const std::exception& e) {
    message = e.what();
  }
  raise_lua_error(L, message);
}

}  // namespace qtrader
