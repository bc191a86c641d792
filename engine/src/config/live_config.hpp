// The `live:` section of a backtest file (docs/live.md): where market data
// comes from, where orders go, what happens to working orders on a stop, and
// the live risk limits. A backtest ignores it; `qtrader live` and `qtrader
// paper` read it. Unknown keys are errors naming the file, line and key.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "qtrader/config.hpp"

namespace qtrader {

struct LiveRiskLimits {
  int max_orders_per_minute = 0;     // 0: no limit (per minute of engine time)
  double max_position = 0;           // |shares| per symbol after the order; 0: no limit
  double max_notional = 0;           // |shares * last price| per symbol after the order; 0: no limit
  double max_daily_loss = 0;         // equity below the day's first equity by this much: kill switch
  double feed_silence_seconds = 0;   // heartbeat: a warning when the feed is silent this long; 0: off
  double broker_silence_seconds = 0; // heartbeat: a warning when the broker is disconnected this long
};

struct LiveConfig {
  bool present = false;               // the file has a `live:` section
  std::string path;                   // the backtest file
  // feed
  std::string feed_kind = "replay";   // replay | fix (engine/src/fix, docs/fix.md)
  double speed = 1;                   // replay: engine seconds per wall second; 0 = as fast as possible
  double stale_after_seconds = 0;     // a stale-data warning after this much silence; 0: off
  // broker
  std::string broker_kind = "paper";  // paper | paper_venue | fix
  // The broker section's other keys, as text, for the broker that reads them
  // (fix: host, port, sender_comp_id, target_comp_id, store, ...: docs/fix.md).
  std::vector<std::pair<std::string, std::string>> broker_settings;
  SourceLocation broker_where;
  bool cancel_on_stop = true;         // on_stop: cancel | keep
  // reconcile: adopt_broker (a mismatch with the broker at a resume: the
  // broker's positions and orders are taken, each correction an event) |
  // halt (the session refuses to trade and fails naming the mismatches).
  bool halt_on_mismatch = false;
  LiveRiskLimits risk;
};

// Reads the `live:` section of `path`; all defaults (present = false) when absent.
LiveConfig load_live_config(const std::string& path);

}  // namespace qtrader
