#include "engine/backtest_loop.hpp"

#include <chrono>
#include <thread>
#include <vector>

namespace qtrader {

LoopStats run_backtest_loop(EventBus& bus, BarMerger& bars, double replay_speed) {
  LoopStats stats;
  std::vector<Bar> slice;
  std::vector<std::uint8_t> flags;  // parallel to slice
  const auto pace = std::chrono::duration<double>(replay_speed);
  auto next_wake = std::chrono::steady_clock::now();
  while (bars.next_batch(slice, flags)) {
    const Timestamp ts = slice.front().ts;
    if (stats.timestamps == 0) stats.first = ts;
    stats.last = ts;
    ++stats.timestamps;
    stats.bars += slice.size();

    // 1. Bars: execution fills pending orders, the portfolio marks, indicators advance.
    for (std::size_t k = 0; k < slice.size(); ++k) bus.publish(BarEvent{slice[k], flags[k]});
    //    ... then the strategies see the whole slice and emit signals.
    bus.publish(SliceEvent{ts, slice});
    // 2. Valuation: the portfolio publishes its state.
    bus.publish(ValuationTriggerEvent{ts});
    // 3. Risk: signals of T become sized orders (filled at T+1 or later) or rejections.
    bus.publish(RiskEvaluationTriggerEvent{ts});

    if (replay_speed > 0) {
      next_wake += std::chrono::duration_cast<std::chrono::steady_clock::duration>(pace);
      std::this_thread::sleep_until(next_wake);
    }
  }
  return stats;
}

}  // namespace qtrader
