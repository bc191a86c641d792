// Budgets that bound what one Lua state may consume in a run.
#pragma once

#include <cstddef>
#include <cstdint>

namespace qtrader {

struct ScriptLimits {
  // Allocator cap for the whole state (all scripts of the run). A script that
  // exceeds it gets ScriptError::Kind::Memory; the host survives.
  std::size_t memory_bytes = std::size_t{64} << 20;
  // Wall-clock budget per call into Lua, in seconds (<= 0: unlimited).
  double init_seconds = 5.0;      // a script's main chunk and on_init
  double callback_seconds = 1.0;  // on_bar, on_fill, on_stop, evaluate
  // Signals one strategy may emit in a single callback.
  int max_signals_per_callback = 10000;
  // false (default, sandboxed): user chunks run interpreted so the time budget
  // is enforced. true (trusted/fast): the JIT compiles user code and a compiled
  // loop never sees the deadline (docs/sandbox.md, strict and trusted mode).
  bool jit_for_scripts = false;
  // Seed of the state's math.random, so runs are reproducible.
  std::uint64_t random_seed = 0x9e3779b97f4a7c15ULL;
};

}  // namespace qtrader
