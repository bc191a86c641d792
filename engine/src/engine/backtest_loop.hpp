// The event loop: orders the phases of each timestamp and nothing else.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "qtrader/data.hpp"
#include "qtrader/event_bus.hpp"

namespace qtrader {
class TickFeed;
}

namespace qtrader {

struct LoopStats {
  std::uint64_t bars = 0;
  std::uint64_t timestamps = 0;
  Timestamp first = 0, last = 0;
};

// How fast the loop may go in wall time; all zeros: as fast as possible.
struct LoopPacing {
  double replay_speed = 0;         // wall seconds per timestamp (the backtest's replay_speed)
  // Simulated seconds per wall second (RunOptions::acceleration_factor): the
  // loop reaches timestamp T no sooner than (T - first) / factor after its first.
  double acceleration_factor = 0;
  // A wait ends early once this is set (the run then stops at its next timestamp).
  const std::atomic<bool>* stop = nullptr;
};

// The phases of one timestamp T, after its bars are known: ticks (on_tick,
// when `ticks` is given), bars (execution fills, the portfolio marks,
// indicators advance), the slice (on_bar), valuation, risk. The backtest loop
// and the live loop (engine/src/live) both run T through this one function,
// so they make the same decisions.
void run_timestamp(EventBus& bus, const std::vector<Bar>& slice, const std::vector<std::uint8_t>& flags,
                   TickFeed* ticks = nullptr);

// Checkpoints and resume (docs/checkpoints.md). The loop only says when: the
// engine decides what a checkpoint holds and how a run is restored.
struct LoopCheckpoints {
  // After every `every` timestamps (counted from the run's first), `write`
  // with the stats so far; 0: never.
  std::uint64_t every = 0;
  std::function<void(const LoopStats&)> write;
  // A resumed run: the timestamps up to and including `resume_after` already
  // ran; each of their slices goes to `catch_up` (no phase runs), then
  // `restore` once, before the first later timestamp (or at the end, when
  // none is left), with the stats of the skipped part.
  std::optional<Timestamp> resume_after;
  std::function<void(const std::vector<Bar>&)> catch_up;
  std::function<void(const LoopStats&)> restore;
};

// `ticks`: the strategies' on_tick feed (RunServices); nullptr when no strategy takes ticks.
LoopStats run_backtest_loop(EventBus& bus, BarMerger& bars, const LoopPacing& pacing,
                            const LoopCheckpoints& checkpoints = {}, TickFeed* ticks = nullptr);

}  // namespace qtrader
