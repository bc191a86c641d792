#include "config/live_config.hpp"

#include "config/yaml_reader.hpp"

namespace qtrader {

using config_detail::load_yaml_file;
using config_detail::Range;
using config_detail::YamlMap;
using config_detail::YamlValue;

namespace {

// A FIX session's keys (docs/fix.md "Settings"), read by engine/src/fix when
// the session starts; accepted here so that a typo fails before.
#define QTRADER_FIX_SESSION_KEYS "host", "port", "sender_comp_id", "target_comp_id", "heartbeat", "reconnect_interval",\
                      "logon_timeout", "store", "log", "session_start", "session_end", "account"

// The section says `kind: fix` (its keys are then a FIX session's).
bool names_fix(const YamlMap& live, const char* section) {
  const auto v = live.get(section);
  if (!v || v->is_null() || v->is_scalar()) return false;  // section() says what is wrong
  const auto kind = v->free_map().get("kind");
  return kind && kind->is_scalar() && kind->scalar() == "fix";
}

void read_feed(const YamlMap& live, LiveConfig& c) {
  const YamlMap feed = names_fix(live, "feed")
                           ? live.section("feed", {"kind", "stale_after_seconds", QTRADER_FIX_SESSION_KEYS})
                           : live.section("feed", {"kind", "speed", "stale_after_seconds"});
  feed.read_choice("kind", c.feed_kind, {"replay", "fix"});
  if (const auto speed = feed.get("speed")) {
    if (speed->is_scalar() && !speed->is_quoted() && speed->scalar() == "max")
      c.speed = 0;
    else
      c.speed = speed->number(Range::Positive);
  }
  feed.read("stale_after_seconds", c.stale_after_seconds, Range::NonNegative);
}

void read_broker(const YamlMap& live, LiveConfig& c) {
  // The FIX broker's keys are accepted here, so that a typo fails before a session starts.
  const YamlMap broker = live.section("broker", {"kind", QTRADER_FIX_SESSION_KEYS});
  broker.read_choice("kind", c.broker_kind, {"paper", "paper_venue", "fix"});
  c.broker_where = broker.self().where();
  for (const auto& [key, value] : broker.entries())
    if (key != "kind") c.broker_settings.emplace_back(key, value.text());
  if (c.broker_kind != "fix" && !c.broker_settings.empty())
    broker.require(c.broker_settings.front().first)
        .fail("only the fix broker takes '" + c.broker_settings.front().first + "'");
}

void read_risk(const YamlMap& live, LiveRiskLimits& r) {
  const YamlMap risk = live.section("risk", {"max_orders_per_minute", "max_position", "max_notional",
                                             "max_daily_loss", "feed_silence_seconds", "broker_silence_seconds"});
  risk.read("max_orders_per_minute", r.max_orders_per_minute, Range::NonNegative);
  risk.read("max_position", r.max_position, Range::NonNegative);
  risk.read("max_notional", r.max_notional, Range::NonNegative);
  risk.read("max_daily_loss", r.max_daily_loss, Range::NonNegative);
  risk.read("feed_silence_seconds", r.feed_silence_seconds, Range::NonNegative);
  risk.read("broker_silence_seconds", r.broker_silence_seconds, Range::NonNegative);
}

}  // namespace

LiveConfig load_live_config(const std::string& path) {
  LiveConfig c;
  c.path = path;
  // The backtest loader checks the other keys; only `live` is read here.
  const YamlValue root = load_yaml_file(path);
  const YamlMap all = root.free_map();
  const auto live_value = all.get("live");
  if (!live_value) return c;
  c.present = true;
  const YamlMap live = live_value->map({"feed", "broker", "on_stop", "reconcile", "risk"});
  read_feed(live, c);
  read_broker(live, c);
  std::string on_stop = "cancel";
  live.read_choice("on_stop", on_stop, {"cancel", "keep"});
  c.cancel_on_stop = on_stop == "cancel";
  std::string reconcile = "adopt_broker";
  live.read_choice("reconcile", reconcile, {"adopt_broker", "halt"});
  c.halt_on_mismatch = reconcile == "halt";
  read_risk(live, c.risk);
  return c;
}

}  // namespace qtrader
