// A script's ctx.state table as data (docs/checkpoints.md): numbers, strings,
// booleans and tables of them, nested, written as deterministic JSON so that
// a checkpoint of the same run is the same bytes. Functions, userdata,
// threads, cdata, tables with a metatable and cycles are refused with the key
// path that holds them ("ctx.state.levels[2].fn is a function").
#pragma once

#include <stdexcept>
#include <string>

struct lua_State;

namespace qtrader {

// The refusal; its message names the key path.
class PlainStateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The table at `idx` as JSON: each table a JSON array of [key, value] pairs,
// numeric keys first (ascending), then string keys (bytewise), then booleans;
// a finite number is a JSON number (shortest round-trip form), a non-finite
// one {"float": "nan" | "inf" | "-inf"}. `path` names the table in messages.
std::string encode_plain_state(lua_State* L, int idx, const std::string& path = "ctx.state");

// Pushes the table `json` encodes (throws PlainStateError on text that is
// not such an encoding).
void push_plain_state(lua_State* L, const std::string& json);

}  // namespace qtrader
