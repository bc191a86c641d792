#include "engine/backtest_loop.hpp"

#include "engine/tick_feed.hpp"

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

namespace qtrader {

namespace {

using Clock = std::chrono::steady_clock;

// Sleeps until `until` in short steps, so a stop request is not kept waiting.
void wait_until(Clock::time_point until, const std::atomic<bool>* stop) {
  constexpr auto kStep = std::chrono::milliseconds(50);
  while (Clock::now() < until) {
    if (stop && stop->load(std::memory_order_relaxed)) return;
    std::this_thread::sleep_until(std::min(until, Clock::now() + kStep));
  }
}

}  // namespace

void run_timestamp(EventBus& bus, const std::vector<Bar>& slice, const std::vector<std::uint8_t>& flags,
                   TickFeed* ticks) {
  const Timestamp ts = slice.front().ts;
  // 0. Ticks: every trade of T's bars reaches on_tick before the bar it makes
  //    (a bar is complete only after its last trade), before any service acts on T.
  if (ticks) ticks->publish(bus, slice);
  // 1. Bars: execution fills pending orders, the portfolio marks, indicators advance.
  for (std::size_t k = 0; k < slice.size(); ++k) bus.publish(BarEvent{slice[k], flags[k]});
  //    ... then the strategies see the whole slice and emit signals.
  bus.publish(SliceEvent{ts, slice});
  // 2. Valuation: the portfolio publishes its state.
  bus.publish(ValuationTriggerEvent{ts});
  // 3. Risk: signals of T become sized orders (filled at T+1 or later) or rejections.
  bus.publish(RiskEvaluationTriggerEvent{ts});
}

LoopStats run_backtest_loop(EventBus& bus, BarMerger& bars, const LoopPacing& pacing,
                            const LoopCheckpoints& checkpoints, TickFeed* ticks) {
  LoopStats stats;
  bool restored = !checkpoints.resume_after.has_value();
  std::vector<Bar> slice;
  std::vector<std::uint8_t> flags;  // parallel to slice
  const double replay_speed = pacing.replay_speed;
  const auto pace = std::chrono::duration<double>(replay_speed);
  auto next_wake = Clock::now();
  // acceleration_factor paces from here: the run's first timestamp, or a
  // resumed run's checkpoint, reached when the loop resumed.
  auto wall_start = Clock::now();
  std::optional<Timestamp> paced_from;
  while (bars.next_batch(slice, flags)) {
    const Timestamp ts = slice.front().ts;
    if (!restored) {
      if (ts <= *checkpoints.resume_after) {
        if (stats.timestamps == 0) stats.first = ts;
        stats.last = ts;
        ++stats.timestamps;
        stats.bars += slice.size();
        checkpoints.catch_up(slice);
        continue;
      }
      restored = true;
      checkpoints.restore(stats);
      next_wake = wall_start = Clock::now();
      paced_from = stats.last;
    }
    if (pacing.acceleration_factor > 0 && stats.timestamps > 0) {
      const double sim_seconds = static_cast<double>(ts - paced_from.value_or(stats.first)) / 1e9;
      wait_until(wall_start + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(sim_seconds / pacing.acceleration_factor)),
                 pacing.stop);
    }
    if (stats.timestamps == 0) stats.first = ts;
    stats.last = ts;
    ++stats.timestamps;
    stats.bars += slice.size();

    run_timestamp(bus, slice, flags, ticks);
    if (checkpoints.every && stats.timestamps % checkpoints.every == 0) checkpoints.write(stats);

    if (replay_speed > 0) {
      next_wake += std::chrono::duration_cast<Clock::duration>(pace);
      wait_until(next_wake, pacing.stop);
    }
  }
  if (!restored) checkpoints.restore(stats);
  return stats;
}

}  // namespace qtrader
