#pragma once

namespace qtrader {
// The trusted Lua prelude (docs/sandbox.md, "One environment per script"). Run once per
// state with full privileges and the host table as its argument; returns make_env.
extern const char* const kSandboxPrelude;
}  // namespace qtrader
