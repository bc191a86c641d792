// The contracts file: `roots:` of futures terms, roll rules and contracts.
#include "config/contracts_config.hpp"

#include <fmt/format.h>

#include "config/name_rules.hpp"
#include "config/yaml_reader.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

using namespace config_detail;

const char* to_string(RollRule r) noexcept {
  switch (r) {
    case RollRule::Calendar: return "calendar";
    case RollRule::Volume: return "volume";
    case RollRule::OpenInterest: return "open_interest";
  }
  return "?";
}

const char* to_string(BackAdjust a) noexcept {
  switch (a) {
    case BackAdjust::None: return "none";
    case BackAdjust::Difference: return "difference";
    case BackAdjust::Ratio: return "ratio";
  }
  return "?";
}

const FuturesRootSpec* ContractsConfig::find_root(const std::string& name) const noexcept {
  for (const auto& r : roots)
    if (r.root == name) return &r;
  return nullptr;
}

const FuturesRootSpec* ContractsConfig::root_of_contract(const std::string& symbol,
                                                         const ContractSpec** contract) const noexcept {
  for (const auto& r : roots)
    for (const auto& c : r.contracts)
      if (c.symbol == symbol) {
        if (contract) *contract = &c;
        return &r;
      }
  return nullptr;
}

namespace {

void read_roll(const YamlValue& value, FuturesRootSpec& r) {
  const YamlMap m = value.map({"rule", "days_before_expiry"});
  const std::string rule = m.require("rule").choice({"calendar", "volume", "open_interest"});
  r.roll = rule == "calendar" ? RollRule::Calendar
           : rule == "volume" ? RollRule::Volume
                              : RollRule::OpenInterest;
  if (const auto days = m.get("days_before_expiry")) {
    if (r.roll != RollRule::Calendar)
      days->fail("days_before_expiry applies to rule calendar only (this rule is " + rule + ")");
    r.roll_days = days->integer(Range::NonNegative);
  } else if (r.roll == RollRule::Calendar) {
    m.require("days_before_expiry");
  }
}

void read_contracts(const YamlValue& value, FuturesRootSpec& r, const ContractsConfig& cfg) {
  for (auto& [symbol, entry] : value.free_map().entries()) {
    const YamlMap m = entry.map({"expiry", "first_notice"});
    ContractSpec c;
    c.where = entry.where();
    c.symbol = symbol;
    if (std::string problem = symbol_name_problem(symbol); !problem.empty())
      entry.fail(fmt::format("contract '{}': {}", symbol, problem));
    if (symbol == r.root) entry.fail("contract '" + symbol + "' has its root's name");
    if (cfg.find_root(symbol)) entry.fail("contract '" + symbol + "' has the name of a root");
    if (const FuturesRootSpec* other = cfg.root_of_contract(symbol))
      entry.fail(fmt::format("contract '{}' is already listed under root '{}'", symbol, other->root));
    c.expiry = m.require("expiry").date();
    if (const auto notice = m.get("first_notice")) {
      c.first_notice = notice->date();
      if (c.first_notice > c.expiry)
        notice->fail(fmt::format("first_notice {} is after the expiry {}", format_date(c.first_notice),
                                 format_date(c.expiry)));
    }
    if (!r.contracts.empty() && c.expiry <= r.contracts.back().expiry)
      m.require("expiry").fail(fmt::format("contracts must be listed by expiry: {} expires {}, not after {} ({})",
                                           symbol, format_date(c.expiry), r.contracts.back().symbol,
                                           format_date(r.contracts.back().expiry)));
    r.contracts.push_back(std::move(c));
  }
  if (r.contracts.empty()) value.fail("root '" + r.root + "' lists no contracts");
}

}  // namespace

ContractsConfig load_contracts(const std::string& path) {
  const YamlMap root = load_yaml_file(path).map({"roots"});
  ContractsConfig cfg;
  cfg.path = path;
  const YamlValue roots = root.require("roots");
  for (auto& [name, value] : roots.free_map().entries()) {
    if (std::string problem = symbol_name_problem(name); !problem.empty())
      value.fail(fmt::format("root '{}': {}", name, problem));
    if (cfg.root_of_contract(name)) value.fail("root '" + name + "' is the name of a listed contract");
    const YamlMap m = value.map({"multiplier", "tick_size", "currency", "margin", "roll", "adjust", "contracts"});
    FuturesRootSpec r;
    r.root = name;
    r.where = value.where();
    r.multiplier = m.require("multiplier").number(Range::Positive);
    m.read("tick_size", r.tick_size, Range::Positive);
    m.read("currency", r.currency);
    const YamlValue margin_value = m.require("margin");
    const YamlMap margin = margin_value.map({"initial", "maintenance"});
    r.initial_margin = margin.require("initial").number(Range::NonNegative);
    r.maintenance_margin = margin.require("maintenance").number(Range::NonNegative);
    if (r.maintenance_margin > r.initial_margin)
      margin.require("maintenance")
          .fail(fmt::format("maintenance margin {} is above the initial margin {}", r.maintenance_margin,
                            r.initial_margin));
    read_roll(m.require("roll"), r);
    if (const auto adjust = m.get("adjust")) {
      const std::string a = adjust->choice({"none", "difference", "ratio"});
      r.adjust = a == "none" ? BackAdjust::None : a == "difference" ? BackAdjust::Difference : BackAdjust::Ratio;
    }
    read_contracts(m.require("contracts"), r, cfg);
    if (!cfg.roots.empty() && cfg.roots.front().currency != r.currency)
      (m.has("currency") ? m.require("currency") : value).fail(fmt::format("currency {} differs from root '{}''s {}: qtrader converts no "
                                             "currencies, a run's futures share one",
                                             r.currency, cfg.roots.front().root, cfg.roots.front().currency));
    cfg.roots.push_back(std::move(r));
  }
  if (cfg.roots.empty()) roots.fail("no roots defined");
  return cfg;
}

}  // namespace qtrader
