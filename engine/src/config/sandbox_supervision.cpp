// The part of system.yaml the supervising parent reads before it forks
// (docs/sandbox.md, "Supervised strict mode"); the child reads the whole file
// with load_system_config, which checks these keys the same way.
#include "qtrader/supervised_run.hpp"

#include "config/yaml_reader.hpp"

namespace qtrader {

using namespace config_detail;

SandboxSupervision read_sandbox_supervision(const std::string& system_path) {
  const YamlMap root =
      load_yaml_file(system_path).map({"execution", "portfolio", "output", "logging", "data", "sandbox"});
  const YamlMap sandbox = root.section(
      "sandbox", {"mode", "jit", "process_memory_mb", "memory_mb", "callback_budget_ms", "init_budget_ms",
                  "max_signals_per_callback"});
  SandboxMode mode = SandboxMode::Strict;
  sandbox.read_choice("mode", mode);
  std::string jit = "off";  // docs/sandbox.md, "Supervised strict mode": why not yet the default
  sandbox.read_choice("jit", jit, {"supervised", "off"});
  double process_memory_mb = 16384;
  sandbox.read("process_memory_mb", process_memory_mb, Range::NonNegative);
  SandboxSupervision out;
#if defined(__linux__)
  out.supervised = mode == SandboxMode::Strict && jit == "supervised";
#endif
  out.address_space_bytes = static_cast<std::size_t>(process_memory_mb * 1024.0 * 1024.0);
  return out;
}

}  // namespace qtrader
