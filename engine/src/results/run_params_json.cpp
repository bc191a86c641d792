#include "results/run_params_json.hpp"

#include <nlohmann/json.hpp>

namespace qtrader {

std::string run_params_json(const std::vector<ScriptParams>& params,
                            const std::vector<std::string>& overrides) {
  using ojson = nlohmann::ordered_json;
  ojson scripts = ojson::object();
  for (const auto& p : params) {
    ojson values = ojson::object();
    for (const auto& [k, v] : p.values) values[k] = ojson::parse(v);
    scripts[p.owner] = {{"name", p.name}, {"params", values}};
  }
  return ojson{{"scripts", scripts}, {"overrides", overrides}}.dump();
}

}  // namespace qtrader
