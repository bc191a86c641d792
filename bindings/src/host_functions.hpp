// C functions the trusted prelude hands to scripts (through make_env) and the
// chunk loader they share with ScriptHost.
#pragma once

#include <string>
#include <string_view>

#include <lua.hpp>

#include "host_state.hpp"

namespace qtrader {

// Pushes the `host` table the prelude receives: nest_enter, nest_leave,
// random, print, find_plain.
void push_host_functions(lua_State* L);

// Compiles `source` in text mode under `chunk_name` ("@/abs/path.lua" for
// files) and gives it a fresh sandboxed environment whose `require` loads
// modules into `modules` (an absolute or pseudo-index of a path -> module
// table), or, when 0, into a new table: a new script's own module instances.
// Returns the luaL_loadbufferx status; on success the function is on the stack,
// otherwise the error message.
int load_sandboxed_chunk(lua_State* L, const HostState& h, std::string_view source,
                         const std::string& chunk_name, int modules = 0);

// Whole file as a string; false when it cannot be read.
bool read_text_file(const std::string& path, std::string& out);

}  // namespace qtrader
