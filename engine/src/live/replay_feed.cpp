#include "live/replay_feed.hpp"

#include <thread>

namespace qtrader::live {

ReplayFeed::ReplayFeed(BarMerger bars, const SymbolTable& symbols, double speed)
    : bars_(std::move(bars)), symbols_(symbols), speed_(speed) {}

void ReplayFeed::start(const std::vector<std::string>&) {
  connected_ = true;
  wall_start_ = Clock::now();
}

bool ReplayFeed::read_next() {
  while (bars_.next_batch(batch_, flags_)) {
    const Timestamp ts = batch_.front().ts;
    if (ts <= skip_through_) continue;
    // The clock starts at the first bar handed out, so a resumed session does
    // not wait for the time it already spent.
    if (first_ts_ == 0) {
      first_ts_ = ts;
      wall_start_ = Clock::now();
    }
    pending_ = ts;
    return true;
  }
  exhausted_ = true;
  return false;
}

std::vector<FeedUpdate> ReplayFeed::poll(std::chrono::milliseconds wait) {
  std::vector<FeedUpdate> out;
  if (!connected_ || (!pending_ && (exhausted_ || !read_next()))) return out;
  if (speed_ > 0) {
    const double sim_seconds = static_cast<double>(*pending_ - first_ts_) / 1e9;
    const auto due = wall_start_ + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(sim_seconds / speed_));
    const auto now = Clock::now();
    if (due > now + wait) {
      std::this_thread::sleep_for(wait);
      return out;
    }
    std::this_thread::sleep_until(due);
  }
  out.reserve(batch_.size());
  for (std::size_t k = 0; k < batch_.size(); ++k) {
    const Bar& b = batch_[k];
    FeedUpdate u;
    u.kind = FeedUpdate::Kind::Bar;
    u.symbol = symbols_.name(b.symbol);
    u.ts = b.ts;
    u.open = b.open;
    u.high = b.high;
    u.low = b.low;
    u.close = b.close;
    u.volume = b.volume;
    u.flags = flags_[k];
    out.push_back(std::move(u));
  }
  pending_.reset();
  return out;
}

}  // namespace qtrader::live
