#include "param_diff.hpp"

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

namespace qtrader::cli {

namespace {

using ojson = nlohmann::ordered_json;

// "owner.param" -> value text, in summary order.
std::vector<std::pair<std::string, std::string>> flatten(const ojson& params) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [owner, script] : params.at("scripts").items()) {
    out.emplace_back(owner, script.at("name").dump());
    for (const auto& [k, v] : script.at("params").items()) out.emplace_back(std::string(owner).append(".").append(k), v.dump());
  }
  std::string overrides;
  for (const auto& o : params.at("overrides")) overrides += (overrides.empty() ? "" : " ") + o.get<std::string>();
  out.emplace_back("--param", overrides.empty() ? "(none)" : overrides);
  return out;
}

ojson params_of(const std::string& summary) {
  std::ifstream in(summary);
  if (!in) return {};
  const ojson j = ojson::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.contains("params")) return {};
  return j.at("params");
}

}  // namespace

std::vector<ParamDifference> param_differences(const std::string& summary_a,
                                               const std::string& summary_b, bool& recorded) {
  const ojson pa = params_of(summary_a), pb = params_of(summary_b);
  recorded = !pa.is_null() && !pb.is_null();
  std::vector<ParamDifference> out;
  if (!recorded) return out;
  const auto a = flatten(pa), b = flatten(pb);
  std::map<std::string, std::string> in_b(b.begin(), b.end());
  std::map<std::string, std::string> in_a(a.begin(), a.end());
  for (const auto& [k, v] : a) {
    const auto it = in_b.find(k);
    if (it == in_b.end()) out.push_back({k, v, "(none)"});
    else if (it->second != v) out.push_back({k, v, it->second});
  }
  for (const auto& [k, v] : b)
    if (!in_a.count(k)) out.push_back({k, "(none)", v});
  return out;
}

}  // namespace qtrader::cli
