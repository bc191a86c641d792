// The live loop (docs/live.md): wall-clock time, bars from a MarketFeed as
// they complete, and each complete timestamp run through the backtest's own
// phases (run_timestamp, engine/src/engine/backtest_loop.hpp). It orders
// the phases and watches the feed; what a session does around each
// timestamp (persisting, risk day rolls, the status line) are its hooks.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>

#include "engine/backtest_loop.hpp"
#include "live/bar_assembler.hpp"
#include "live/market_feed.hpp"
#include "qtrader/event_bus.hpp"

namespace qtrader::live {

struct LiveLoopHooks {
  // Before T's bars are published, with them.
  std::function<void(const std::vector<Bar>&, const std::vector<std::uint8_t>&)> before_timestamp;
  std::function<void(Timestamp)> after_timestamp;   // after T's risk phase
  // Every pass of the loop (at least every `poll_wait`): broker reports,
  // heartbeats, the status line. `seconds_since_update`: of the feed.
  std::function<void(double seconds_since_update)> idle;
  // The feed has been silent `stale_after_seconds`: once per silence.
  std::function<void(double seconds_silent)> stale;
};

struct LiveLoopOptions {
  double stale_after_seconds = 0;  // 0: never stale
  std::chrono::milliseconds poll_wait{100};
  const std::atomic<bool>* stop = nullptr;
};

// Runs until the feed has finished and every bar it sent has run, or until
// `stop` is set (checked between timestamps).
LoopStats run_live_loop(EventBus& bus, MarketFeed& feed, BarAssembler& bars, const LiveLoopOptions& options,
                        const LiveLoopHooks& hooks);

}  // namespace qtrader::live
