// The gate's Lua-side pieces, installed by ScriptHost's constructor.
#pragma once

#include <lua.hpp>

namespace qtrader {

// Message handler at kMessageHandlerSlot: traceback for string and number
// errors; never calls a metamethod on the error object.
int gate_message_handler(lua_State* L);
// Count hook, armed (count 1) by the watchdog once a call is past its budget:
// raises the timeout at every instruction until the call ends, so that pcall
// inside the script cannot swallow it. Armed late for a call that has ended,
// it removes itself.
void gate_count_hook(lua_State* L, lua_Debug* ar);

}  // namespace qtrader
