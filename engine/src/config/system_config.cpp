// config/system.yaml: how the services behave. Every key is optional and takes
// the struct default; anything not listed here is an error.
#include <cctype>
#include <ctime>

#include "config/yaml_reader.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time_zone.hpp"

namespace qtrader {

using namespace config_detail;

namespace {

// A key that another model uses is an error, not silently ignored.
template <class Model>
void only_for_model(const YamlMap& m, Model model, KeyList keys,
                    std::initializer_list<std::string_view> allowed) {
  for (std::string_view key : keys) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || a == key;
    if (!ok)
      if (const auto v = m.get(key))
        v->fail(std::string("does not apply to model '") + name_of(model) + "'");
  }
}

void read_tiers(const YamlValue& list, std::vector<CommissionTier>& tiers) {
  const auto items = list.items();
  if (items.empty()) list.fail("a tiered commission needs at least one tier");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const YamlMap t = items[i].map({"up_to", "rate"});
    CommissionTier tier;
    tier.rate = t.require("rate").number(Range::NonNegative);
    const bool last = i + 1 == items.size();
    if (const auto up = t.get("up_to")) {
      tier.up_to = up->number(Range::Positive);
      if (!tiers.empty() && tier.up_to <= tiers.back().up_to)
        up->fail("tiers must be in increasing up_to order");
    } else if (!last) {
      t.require("up_to");  // only the last tier may be unbounded
    }
    tiers.push_back(tier);
  }
}

// The five settings of a market impact model (a run's, or a symbol's own).
void read_impact(const YamlMap& impact, ImpactConfig& im) {
  const KeyList impact_keys = {"coefficient", "adv_window", "volatility_window", "permanent_fraction"};
  impact.read_choice("model", im.model);
  if (im.model == ImpactKind::None) only_for_model(impact, im.model, impact_keys, {});
  impact.read("coefficient", im.coefficient, Range::NonNegative);
  impact.read("adv_window", im.adv_window, Range::Positive);
  impact.read("volatility_window", im.volatility_window, Range::Positive);
  impact.read("permanent_fraction", im.permanent_fraction, Range::NonNegative);
  if (im.volatility_window < 2)
    impact.get("volatility_window")->fail("must be at least 2 (a standard deviation of returns)");
  if (im.adv_window > 10000 || im.volatility_window > 10000)
    impact.self().fail("adv_window and volatility_window must be at most 10000 bars");
  if (im.permanent_fraction > 1.0) impact.get("permanent_fraction")->fail("must be at most 1");
}

void read_execution(const YamlMap& root, ExecutionConfig& ex) {
  const YamlMap execution =
      root.section("execution", {"fill_policy", "commission", "slippage", "volume_limit",
                                 "max_working_orders_per_strategy", "impact"});
  execution.read_choice("fill_policy", ex.fill_policy);
  execution.read("volume_limit", ex.volume_limit, Range::NonNegative);
  execution.read("max_working_orders_per_strategy", ex.max_working_orders_per_strategy, Range::Positive);
  if (ex.volume_limit > 1.0)
    execution.get("volume_limit")->fail("must be at most 1 (a share of the bar's volume)");

  const KeyList commission_keys = {"rate", "minimum", "maximum", "amount", "tiers"};
  const YamlMap commission =
      execution.section("commission", {"model", "rate", "minimum", "maximum", "amount", "tiers"});
  auto& c = ex.commission;
  commission.read_choice("model", c.model);
  if (c.model == CommissionKind::Percentage) {
    only_for_model(commission, c.model, commission_keys, {"rate"});
  } else if (c.model == CommissionKind::PerShare) {
    only_for_model(commission, c.model, commission_keys, {"rate", "minimum", "maximum"});
    c.rate = 0.0;
    commission.require("rate");
  } else if (c.model == CommissionKind::Fixed) {
    only_for_model(commission, c.model, commission_keys, {"amount"});
    commission.require("amount");
    c.rate = 0.0;
  } else {  // tiered
    only_for_model(commission, c.model, commission_keys, {"tiers", "minimum", "maximum"});
    c.rate = 0.0;
    read_tiers(commission.require("tiers"), c.tiers);
  }
  commission.read("rate", c.rate, Range::NonNegative);
  commission.read("minimum", c.minimum, Range::NonNegative);
  commission.read("maximum", c.maximum, Range::NonNegative);
  commission.read("amount", c.amount, Range::NonNegative);
  if (c.maximum > 0 && c.maximum < c.minimum)
    commission.get("maximum")->fail("maximum is below minimum");

  const KeyList slippage_keys = {"bps", "amount", "price_impact"};
  const YamlMap slippage = execution.section("slippage", {"model", "bps", "amount", "price_impact"});
  auto& sl = ex.slippage;
  slippage.read_choice("model", sl.model);
  if (sl.model == SlippageKind::None) only_for_model(slippage, sl.model, slippage_keys, {});
  if (sl.model == SlippageKind::FixedBps) {
    only_for_model(slippage, sl.model, slippage_keys, {"bps"});
    slippage.require("bps");
  }
  if (sl.model == SlippageKind::FixedAmount) {
    only_for_model(slippage, sl.model, slippage_keys, {"amount"});
    slippage.require("amount");
  }
  if (sl.model == SlippageKind::VolumeShare) only_for_model(slippage, sl.model, slippage_keys, {"price_impact"});
  slippage.read("bps", sl.bps, Range::NonNegative);
  slippage.read("amount", sl.amount, Range::NonNegative);
  slippage.read("price_impact", sl.price_impact, Range::NonNegative);

  // ---- market impact (docs/execution.md "Market impact") ----
  const YamlMap impact = execution.section("impact", {"model", "coefficient", "adv_window", "volatility_window",
                                                      "permanent_fraction", "symbols"});
  read_impact(impact, ex.impact);
  if (const auto symbols = impact.get("symbols"))
    for (const auto& [name, value] : symbols->free_map().entries()) {
      ImpactConfig own = ex.impact;  // what the symbol does not set, it takes from the run's
      read_impact(value.map({"model", "coefficient", "adv_window", "volatility_window", "permanent_fraction"}), own);
      ex.impact_symbols.emplace_back(name, own);
    }
}

void read_portfolio(const YamlMap& root, PortfolioConfig& p) {
  const YamlMap portfolio =
      root.section("portfolio", {"lot_matching", "allow_short", "borrow_fee_rate",
                                 "max_gross_leverage", "fractional_quantities"});
  portfolio.read_choice("lot_matching", p.lot_matching);
  portfolio.read("allow_short", p.allow_short);
  portfolio.read("borrow_fee_rate", p.borrow_fee_rate, Range::NonNegative);
  portfolio.read("max_gross_leverage", p.max_gross_leverage, Range::NonNegative);
  portfolio.read("fractional_quantities", p.fractional_quantities);
}

void read_bar_cache(const YamlMap& data, const std::string& path, BarCacheConfig& c) {
  const YamlMap bar_cache = data.section("bar_cache", {"enabled", "dir"});
  bar_cache.read("enabled", c.enabled);
  // dir: "" (or no dir) keeps the per-user default folder (open_bar_stream).
  const auto dir = bar_cache.get("dir");
  if (dir && !(dir->is_scalar() && dir->scalar().empty()))
    c.dir = resolve_against(path, dir->text());
}

// A run folder's name: a strftime format that must give one non-empty path
// component (tried on a fixed time, so the check does not depend on the clock).
std::string read_timestamp_format(const YamlValue& v) {
  std::string format = v.text();
  std::tm sample{};
  sample.tm_year = 2024 - 1900;
  sample.tm_mon = 0;
  sample.tm_mday = 2;
  char out[256];
  const std::size_t n = std::strftime(out, sizeof out, format.c_str(), &sample);
  if (n == 0) v.fail("'" + format + "' gives an empty (or over-long) folder name");
  const std::string_view name(out, n);
  if (name.find('/') != std::string_view::npos || name == "." || name == "..")
    v.fail("'" + format + "' gives '" + std::string(name) + "', not one folder name");
  return format;
}

// A level name of spdlog or of Python's logging module, in any case:
// WARNING is warn, CRITICAL is error.
std::string read_level(const YamlValue& v) {
  std::string name = v.text();
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "warning") name = "warn";
  if (name == "critical") name = "error";
  for (std::string_view known : {"trace", "debug", "info", "warn", "error", "off"})
    if (name == known) return name;
  v.fail("unknown log level '" + v.text() +
         "' (expected one of: trace, debug, info, warn (warning), error (critical), off; any case)");
}

void read_logging(const YamlMap& root, LoggingConfig& logging) {
  const YamlMap m =
      root.section("logging", {"level", "file_level", "format", "file", "enable_file"});
  if (const auto level = m.get("level")) logging.level = logging.file_level = read_level(*level);
  if (const auto level = m.get("file_level")) logging.file_level = read_level(*level);
  m.read_choice("format", logging.format);
  // `enable_file` is the reference configuration's name for `file`; one of the two.
  if (m.has("file") && m.has("enable_file"))
    m.get("enable_file")->fail("give either 'file' or 'enable_file', not both");
  m.read("file", logging.file);
  m.read("enable_file", logging.file);
}

}  // namespace

SystemConfig load_system_config(const std::string& path) {
  const YamlMap root =
      load_yaml_file(path).map({"execution", "portfolio", "output", "logging", "data", "sandbox"});
  SystemConfig cfg;
  cfg.path = path;

  read_execution(root, cfg.execution);
  read_portfolio(root, cfg.portfolio);

  const YamlMap output =
      root.section("output", {"default_results_dir", "event_store", "organize_by_date",
                              "use_timestamps", "timestamp_format"});
  output.read("default_results_dir", cfg.output.default_results_dir);
  const YamlMap store = output.section("event_store", {"backend", "filename", "form"});
  store.read_choice("backend", cfg.output.event_store.backend);
  store.read_choice("form", cfg.output.event_store.form);
  store.read("filename", cfg.output.event_store.filename);
  output.read("organize_by_date", cfg.output.organize_by_date);
  output.read("use_timestamps", cfg.output.use_timestamps);
  if (const auto format = output.get("timestamp_format"))
    cfg.output.timestamp_format = read_timestamp_format(*format);

  read_logging(root, cfg.logging);

  const YamlMap data = root.section(
      "data", {"sources_config", "default_timezone", "default_mode", "bar_cache"});
  data.read("sources_config", cfg.data.sources_config);
  if (const auto zone = data.get("default_timezone")) {
    cfg.data.default_timezone = zone->text();
    if (!TimeZone::find(cfg.data.default_timezone))
      zone->fail(unknown_time_zone(cfg.data.default_timezone));
  }
  data.read_choice("default_mode", cfg.data.default_mode, {"raw", "adjusted"});
  // Resolved even when defaulted: the default names a file next to system.yaml.
  cfg.data.sources_config = resolve_against(path, cfg.data.sources_config);
  read_bar_cache(data, path, cfg.data.bar_cache);

  const YamlMap sandbox = root.section(
      "sandbox", {"mode", "jit", "process_memory_mb", "memory_mb", "callback_budget_ms", "init_budget_ms",
                  "max_signals_per_callback"});
  sandbox.read_choice("mode", cfg.sandbox.mode);
  // Read again, before the fork, by the supervisor (sandbox_supervision.cpp);
  // checked here so that a bad value fails every command alike.
  std::string jit;
  sandbox.read_choice("jit", jit, {"supervised", "off"});
  double process_memory_mb = 0;
  sandbox.read("process_memory_mb", process_memory_mb, Range::NonNegative);
  sandbox.read("memory_mb", cfg.sandbox.memory_mb, Range::Positive);
  sandbox.read("callback_budget_ms", cfg.sandbox.callback_budget_ms, Range::Positive);
  sandbox.read("init_budget_ms", cfg.sandbox.init_budget_ms, Range::Positive);
  sandbox.read("max_signals_per_callback", cfg.sandbox.max_signals_per_callback, Range::Positive);
  return cfg;
}

}  // namespace qtrader
