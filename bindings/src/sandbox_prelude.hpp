#pragma once

#include <string_view>

namespace qtrader {
// The trusted Lua prelude (docs/sandbox.md, "One environment per script"),
// from sandbox_prelude.lua via cmake/EmbedText.cmake. Run once per state with full
// privileges and the host table as its argument; returns make_env.
//
// `host` is a table of C functions:
//   nest_enter() / nest_leave()  coroutine and gsub nesting counter (kept in C so
//                                the gate can reset it without calling Lua)
//   random(m, n)                 the run's seeded math.random
//   print(...)                   logs with the caller's file:line
//   find_plain(s, p, init)       string.find(s, p, init, true) in linear time
// `require` is not the prelude's: the chunk loader (host_functions.hpp) puts
// one per script into each environment make_env returns.
// The prelude captures the real library functions in upvalues before the host
// removes the dangerous globals.
extern const std::string_view kSandboxPrelude;
}  // namespace qtrader
