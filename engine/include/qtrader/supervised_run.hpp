// `qtrader run` in strict mode with the JIT on (docs/sandbox.md, "Supervised
// strict mode"): whether a system file asks for it, and the record of a run
// the supervising parent had to stop.
#pragma once

#include <cstddef>
#include <string>

namespace qtrader {

struct SandboxSupervision {
  // sandbox.mode strict with sandbox.jit supervised (opt-in; default off),
  // on Linux: the command runs the backtest in a supervised child
  // (lua/supervisor.hpp).
  bool supervised = false;
  // sandbox.process_memory_mb: the child's RLIMIT_AS (0: none).
  std::size_t address_space_bytes = 0;
};

// Reads the sandbox section of a system file, before the fork: only what the
// parent needs. Throws ConfigError (file, line, key) as load_system_config does.
SandboxSupervision read_sandbox_supervision(const std::string& system_path);

// A run whose process the supervisor stopped or lost (an overrun, a crash) is
// recorded as any failed run is: its `runs` row `failed` with `message` (when
// the run has an events.sqlite) and "run failed: MESSAGE" as the last line of
// run.log. Results files stay as the child left them (NAME.partial, as after
// any kill). Never throws: a record that cannot be written is not a second error.
void record_stopped_run(const std::string& results_dir, const std::string& message);

}  // namespace qtrader
