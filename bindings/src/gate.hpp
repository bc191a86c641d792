// The gate's Lua-side pieces, installed by ScriptHost's constructor.
#pragma once

#include <lua.hpp>

namespace qtrader {

// Message handler at kMessageHandlerSlot: traceback for string and number
// errors; never calls a metamethod on the error object.
int gate_message_handler(lua_State* L);
// Count hook: arms the deadline on its first tick in a call, then kills the
// call once it passes, re-arming itself with count 1 so that pcall inside
// the script cannot swallow the timeout.
void gate_count_hook(lua_State* L, lua_Debug* ar);

}  // namespace qtrader
