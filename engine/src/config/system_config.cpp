// config/system.yaml: how the services behave. Every key is optional and takes
// the struct default; anything not listed here is an error.
#include "config/yaml_reader.hpp"
#include "qtrader/config.hpp"

namespace qtrader {

using namespace config_detail;

SystemConfig load_system_config(const std::string& path) {
  const YamlMap root = load_yaml_file(path).map({"execution", "output", "logging", "data"});
  SystemConfig cfg;
  cfg.path = path;

  const YamlMap execution = root.section("execution", {"fill_policy", "commission", "slippage"});
  execution.read_choice("fill_policy", cfg.execution.fill_policy, {"next_bar_open"});
  const YamlMap commission = execution.section("commission", {"model", "rate"});
  commission.read_choice("model", cfg.execution.commission.model, {"percentage"});
  commission.read("rate", cfg.execution.commission.rate, Range::NonNegative);
  const YamlMap slippage = execution.section("slippage", {"model"});
  slippage.read_choice("model", cfg.execution.slippage.model, {"none"});

  const YamlMap output = root.section(
      "output", {"default_results_dir", "event_store", "organize_by_date", "use_timestamps"});
  output.read("default_results_dir", cfg.output.default_results_dir);
  const YamlMap store = output.section("event_store", {"backend", "filename"});
  store.read_choice("backend", cfg.output.event_store.backend, {"sqlite", "memory"});
  store.read("filename", cfg.output.event_store.filename);
  output.read("organize_by_date", cfg.output.organize_by_date);
  output.read("use_timestamps", cfg.output.use_timestamps);

  const YamlMap logging = root.section("logging", {"level", "file"});
  logging.read_choice("level", cfg.logging.level,
                      {"trace", "debug", "info", "warn", "error", "off"});
  logging.read("file", cfg.logging.file);

  const YamlMap data = root.section("data", {"sources_config", "default_timezone"});
  data.read("sources_config", cfg.data.sources_config);
  data.read("default_timezone", cfg.data.default_timezone);
  // Resolved even when defaulted: the default names a file next to system.yaml.
  cfg.data.sources_config = resolve_against(path, cfg.data.sources_config);
  return cfg;
}

}  // namespace qtrader
