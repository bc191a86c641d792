#pragma once

namespace qtrader {
// The trusted Lua prelude (notes/luajit-host.md, Appendix A). Run once per
// state with full privileges and the host table as its argument; returns make_env.
extern const char* const kSandboxPrelude;
}  // namespace qtrader
