#include "live/live_loop.hpp"

namespace qtrader::live {

namespace {
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}
}  // namespace

LoopStats run_live_loop(EventBus& bus, MarketFeed& feed, BarAssembler& bars, const LiveLoopOptions& options,
                        const LiveLoopHooks& hooks) {
  LoopStats stats;
  std::vector<Bar> slice;
  std::vector<std::uint8_t> flags;
  auto last_update = Clock::now();
  bool stale = false;
  const auto stopped = [&] { return options.stop && options.stop->load(std::memory_order_relaxed); };
  while (!stopped()) {
    const std::vector<FeedUpdate> updates = feed.poll(options.poll_wait);
    if (!updates.empty()) {
      last_update = Clock::now();
      stale = false;
    }
    for (const FeedUpdate& u : updates) bars.add(u);
    const bool ended = updates.empty() && feed.finished();
    if (ended) bars.finish();
    while (!stopped() && bars.next_slice(slice, flags)) {
      const Timestamp ts = slice.front().ts;
      if (hooks.before_timestamp) hooks.before_timestamp(slice, flags);
      if (stats.timestamps == 0) stats.first = ts;
      stats.last = ts;
      ++stats.timestamps;
      stats.bars += slice.size();
      run_timestamp(bus, slice, flags);
      if (hooks.after_timestamp) hooks.after_timestamp(ts);
    }
    const double silent = seconds_since(last_update);
    if (!ended && !stale && options.stale_after_seconds > 0 && silent >= options.stale_after_seconds) {
      stale = true;
      if (hooks.stale) hooks.stale(silent);
    }
    if (hooks.idle) hooks.idle(silent);
    if (ended) break;
  }
  return stats;
}

}  // namespace qtrader::live
