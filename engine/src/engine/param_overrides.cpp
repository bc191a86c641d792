#include "engine/param_overrides.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

namespace {

std::string strategy_ids(const BacktestConfig& bt) {
  std::string out;
  for (const auto& s : bt.strategies) out += (out.empty() ? "" : ", ") + s.strategy_id;
  return out.empty() ? "none" : out;
}

int find_strategy(const BacktestConfig& bt, const std::string& id) {
  for (std::size_t i = 0; i < bt.strategies.size(); ++i)
    if (bt.strategies[i].strategy_id == id) return static_cast<int>(i);
  return -1;
}

}  // namespace

SourceLocation override_location(std::size_t index) {
  return {"--param", static_cast<int>(index + 1)};
}

OverrideTarget resolve_override_target(const BacktestConfig& bt, const std::string& name,
                                       const SourceLocation& where) {
  const auto fail = [&](const std::string& reason) -> OverrideTarget {
    throw ConfigError(where.file, where.line, name, reason);
  };
  // The last dot splits: a strategy id may itself hold dots.
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) {
    if (name.empty()) return fail("empty param name");
    if (bt.strategies.size() != 1)
      return fail(fmt::format("the backtest has {} strategies ({}): write STRATEGY_ID.{} or risk.{}",
                              bt.strategies.size(), strategy_ids(bt), name, name));
    return {0, name};
  }
  const std::string owner = name.substr(0, dot), param = name.substr(dot + 1);
  if (param.empty()) return fail("empty param name after '.'");
  if (const int s = find_strategy(bt, owner); s >= 0) return {s, param};
  if (owner == "risk") return {-1, param};
  return fail(fmt::format("no strategy '{}' in the backtest (strategies: {}; risk.NAME for the "
                          "risk policy)", owner, strategy_ids(bt)));
}

ParamValue parse_override_value(const std::string& name, const std::string& value,
                                const SourceLocation& where) {
  YAML::Node node;
  try {
    node = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw ConfigError(where.file, where.line, name, fmt::format("bad value '{}': {}", value, e.msg));
  }
  config_detail::check_expanded_size(node, where.file, name, where.line);
  const config_detail::YamlValue v(std::make_shared<const std::string>(where.file), node, name,
                                   where.line);
  ParamValue p = v.param();
  p.where = where;
  return p;
}

void apply_param_overrides(BacktestConfig& bt, const std::vector<ParamOverride>& overrides) {
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    const auto& o = overrides[i];
    const SourceLocation where = override_location(i);
    const OverrideTarget target = resolve_override_target(bt, o.name, where);
    ParamMap& config = target.strategy >= 0 ? bt.strategies[target.strategy].config
                                            : bt.risk_policy.config;
    ParamValue value = parse_override_value(o.name, o.value, where);
    if (target.strategy >= 0 && target.param == "warmup_bars") {
      // The engine's key in a strategy's config (load_backtest_config), not a script param.
      if (value.kind != ParamValue::Kind::Number || !value.is_integer || value.number < 0)
        throw ConfigError(where.file, where.line, o.name,
                          "warmup_bars must be a whole number >= 0, got '" + o.value + "'");
      bt.strategies[target.strategy].warmup_bars = static_cast<int>(value.number);
      continue;
    }
    auto slot = std::find_if(config.begin(), config.end(),
                             [&](const auto& entry) { return entry.first == target.param; });
    if (slot != config.end())
      slot->second = std::move(value);
    else
      config.emplace_back(target.param, std::move(value));
  }
}

}  // namespace qtrader
