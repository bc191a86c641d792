// Plain Lua values -> ParamValue trees, for the test kit's requests (the other
// way, for its results, is script_module.hpp's push_param_value).
// Reading never runs a metamethod; it accepts numbers, booleans, strings and
// tables of them (a table with keys 1..n is a list, one with string keys a map,
// its keys sorted), and names the offending key path otherwise.
#pragma once

#include <string>

#include <lua.hpp>

#include "qtrader/config.hpp"

namespace qtrader {

// Throws std::invalid_argument naming `where` (the key path: "run.bars.AAA[3]").
ParamValue read_lua_value(lua_State* L, int idx, const std::string& where);

}  // namespace qtrader
