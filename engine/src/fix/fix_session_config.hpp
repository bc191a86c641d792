// The settings of one FIX 4.4 initiator session (docs/fix.md "Session settings"),
// read from a `live.broker` or `live.feed` section with `kind: fix`.
#pragma once

#include <string>

namespace YAML {
class Node;
}

namespace qtrader::config_detail {
class YamlValue;
}

namespace qtrader::fix {

struct FixSessionConfig {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string sender_comp_id;      // ours (SenderCompID, 49)
  std::string target_comp_id;      // the venue's (TargetCompID, 56)
  int heartbeat_seconds = 30;      // HeartBtInt (108) proposed at logon
  int reconnect_seconds = 5;       // between connection attempts
  int logon_timeout_seconds = 10;  // start() waits this long for the logon
  // QuickFIX's FileStore: the session's sequence numbers and the messages
  // sent, so a restarted process resumes the session (and can resend).
  std::string store_dir;
  std::string log_dir;             // QuickFIX's message log; none when empty
  // The session's daily window, UTC (StartTime/EndTime): the venue and we
  // reset sequence numbers when a new window begins. Equal means 24 hours
  // starting at that time.
  std::string session_start = "00:00:00";
  std::string session_end = "00:00:00";
  std::string account;             // Account (1) on orders and state requests; none when empty
};

// The section's keys (kind, host, port, sender_comp_id, target_comp_id,
// heartbeat, reconnect_interval, logon_timeout, store, log, session_start,
// session_end, account; a feed's stale_after_seconds is the live engine's). Unknown keys and wrong values throw ConfigError
// naming the file, line and key; `store` and `log` are resolved against the
// folder of the file.
FixSessionConfig read_fix_session_config(const config_detail::YamlValue& section);
// The same for a node of `file` at dotted `key` ("live.broker").
FixSessionConfig read_fix_session_config(const YAML::Node& section, const std::string& file,
                                         const std::string& key);

// Throws std::invalid_argument naming the first field that is missing or wrong.
void check_fix_session_config(const FixSessionConfig& config);

}  // namespace qtrader::fix
