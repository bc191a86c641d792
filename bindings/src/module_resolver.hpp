// Which file `require(name)` loads for a script of a given file: library
// scopes first (docs/libraries.md, "Modules"), else the module roots in order.
#pragma once

#include <string>
#include <string_view>

#include "host_state.hpp"

namespace qtrader {

// The absolute path of the module, or "" when no folder the caller may read
// from has it; `searched` then says where it looked.
std::string resolve_module(HostState& h, const std::string& caller_file, std::string_view name,
                           std::string& searched);

// The real path of `path` (symbolic links resolved) when it lies inside the
// real path of `folder`, else "".
std::string real_path_inside(const std::string& folder, const std::string& path);

// The file of the nearest Lua function on the call stack ("" for a chunk not
// loaded from a file).
std::string calling_file(lua_State* L);

}  // namespace qtrader
