#include "fix/fix_session_config.hpp"

#include <regex>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.hpp"

namespace qtrader::fix {

namespace {

using config_detail::Range;
using config_detail::YamlValue;

bool is_time_of_day(const std::string& text) {
  static const std::regex pattern("([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]");
  return std::regex_match(text, pattern);
}

// A CompID travels in every header; FIX forbids the SOH delimiter and '='
// would make a settings file ambiguous.
bool is_comp_id(const std::string& text) {
  if (text.empty()) return false;
  for (const char c : text)
    if (c <= ' ' || c == '=' || c > '~') return false;
  return true;
}

}  // namespace

FixSessionConfig read_fix_session_config(const YamlValue& section) {
  const auto map = section.map({"kind", "host", "port", "sender_comp_id", "target_comp_id", "heartbeat",
                                "reconnect_interval", "logon_timeout", "store", "log", "session_start",
                                "session_end", "account",
                                "stale_after_seconds"});  // a feed's, read by the live engine
  FixSessionConfig c;
  if (auto kind = map.get("kind"); kind && kind->text() != "fix")
    kind->fail("expected 'fix' for a FIX 4.4 session, got '" + kind->text() + "'");
  map.read("host", c.host);
  if (c.host.empty()) map.require("host").fail("expected a host name or address");
  const YamlValue port = map.require("port");
  c.port = port.integer(Range::Positive);
  if (c.port > 65535) port.fail("expected a TCP port (1-65535), got " + std::to_string(c.port));
  for (const auto& [key, out] : {std::pair{"sender_comp_id", &c.sender_comp_id},
                                std::pair{"target_comp_id", &c.target_comp_id}}) {
    const YamlValue v = map.require(key);
    *out = v.text();
    if (!is_comp_id(*out)) v.fail("expected a CompID (printable ASCII, no spaces or '='), got '" + *out + "'");
  }
  map.read("heartbeat", c.heartbeat_seconds, Range::Positive);
  map.read("reconnect_interval", c.reconnect_seconds, Range::Positive);
  map.read("logon_timeout", c.logon_timeout_seconds, Range::Positive);
  c.store_dir = config_detail::resolve_against(section.file(), map.require("store").text());
  if (auto log = map.get("log")) c.log_dir = config_detail::resolve_against(section.file(), log->text());
  for (const auto& [key, out] : {std::pair{"session_start", &c.session_start},
                                std::pair{"session_end", &c.session_end}}) {
    if (auto v = map.get(key)) {
      *out = v->text();
      if (!is_time_of_day(*out)) v->fail("expected a UTC time of day HH:MM:SS, got '" + *out + "'");
    }
  }
  map.read("account", c.account);
  return c;
}

FixSessionConfig read_fix_session_config(const YAML::Node& section, const std::string& file,
                                         const std::string& key) {
  const int line = section.Mark().is_null() ? 0 : section.Mark().line + 1;
  return read_fix_session_config(YamlValue(std::make_shared<const std::string>(file), section, key, line));
}

void check_fix_session_config(const FixSessionConfig& c) {
  const auto fail = [](const std::string& what) { throw std::invalid_argument("FIX session: " + what); };
  if (c.host.empty()) fail("host is empty");
  if (c.port <= 0 || c.port > 65535) fail("port " + std::to_string(c.port) + " is not a TCP port");
  if (!is_comp_id(c.sender_comp_id)) fail("sender_comp_id '" + c.sender_comp_id + "' is not a CompID");
  if (!is_comp_id(c.target_comp_id)) fail("target_comp_id '" + c.target_comp_id + "' is not a CompID");
  if (c.heartbeat_seconds <= 0) fail("heartbeat must be > 0 seconds");
  if (c.reconnect_seconds <= 0) fail("reconnect_interval must be > 0 seconds");
  if (c.logon_timeout_seconds <= 0) fail("logon_timeout must be > 0 seconds");
  if (c.store_dir.empty()) fail("store (the folder of the message store) is empty");
  if (!is_time_of_day(c.session_start)) fail("session_start '" + c.session_start + "' is not HH:MM:SS");
  if (!is_time_of_day(c.session_end)) fail("session_end '" + c.session_end + "' is not HH:MM:SS");
}

}  // namespace qtrader::fix
