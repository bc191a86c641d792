#include "engine/param_json.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

namespace qtrader {

namespace {

nlohmann::ordered_json to_json(const ParamValue& v) {
  switch (v.kind) {
    case ParamValue::Kind::Bool:
      return v.boolean;
    case ParamValue::Kind::String:
      return v.text;
    case ParamValue::Kind::List: {
      auto out = nlohmann::ordered_json::array();
      for (const auto& x : v.list) out.push_back(to_json(x));
      return out;
    }
    case ParamValue::Kind::Map: {
      auto out = nlohmann::ordered_json::object();
      for (const auto& [k, x] : v.map) out[k] = to_json(x);
      return out;
    }
    case ParamValue::Kind::Number:
      break;
  }
  if (std::isfinite(v.number) && v.number == std::trunc(v.number) && std::fabs(v.number) < 0x1p53)
    return static_cast<long long>(v.number);
  return v.number;
}

}  // namespace

std::string param_json(const ParamValue& value) { return to_json(value).dump(); }

ScriptParams script_params(std::string owner, std::string name,
                           const std::vector<std::pair<std::string, ParamValue>>& values) {
  ScriptParams out{std::move(owner), std::move(name), {}};
  for (const auto& [k, v] : values) out.values.emplace_back(k, param_json(v));
  return out;
}

}  // namespace qtrader
