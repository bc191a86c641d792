// The event loop: orders the phases of each timestamp and nothing else.
#pragma once

#include <cstdint>

#include "qtrader/data.hpp"
#include "qtrader/event_bus.hpp"

namespace qtrader {

struct LoopStats {
  std::uint64_t bars = 0;
  std::uint64_t timestamps = 0;
  Timestamp first = 0, last = 0;
};

// replay_speed: wall seconds to spend per timestamp (0 = as fast as possible).
LoopStats run_backtest_loop(EventBus& bus, BarMerger& bars, double replay_speed);

}  // namespace qtrader
