// The backtest loop resuming from a checkpoint (docs/checkpoints.md): the
// timestamps up to it only catch up, and acceleration_factor paces the rest
// from the checkpoint, not from the run's first timestamp.
#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "engine/backtest_loop.hpp"

using namespace qtrader;

namespace {

class TimesStream final : public BarStream {
 public:
  explicit TimesStream(std::vector<Timestamp> times) : times_(std::move(times)) {}
  bool next(Bar& out) override {
    if (pos_ == times_.size()) return false;
    out = Bar{};
    out.ts = times_[pos_++];
    out.close = 1.0;
    return true;
  }

 private:
  std::vector<Timestamp> times_;
  std::size_t pos_ = 0;
};

constexpr Timestamp kSecond = 1'000'000'000;

}  // namespace

TEST_CASE("backtest loop: a resumed run paces from its checkpoint", "[checkpoint]") {
  // Eleven simulated days before the checkpoint, then 2 ms: at one simulated
  // second per wall second, pacing from the first timestamp would wait the
  // eleven days.
  std::vector<std::unique_ptr<BarStream>> streams;
  streams.push_back(std::make_unique<TimesStream>(
      std::vector<Timestamp>{0 + kSecond, 1'000'000 * kSecond, 1'000'000 * kSecond + 2'000'000}));
  BarMerger bars(std::move(streams));
  EventBus bus;
  std::vector<Timestamp> ran;
  bus.subscribe<SliceEvent>([&](const SliceEvent& e) { ran.push_back(e.ts); });
  std::vector<Timestamp> caught_up;
  LoopStats restored_at;
  LoopCheckpoints checkpoints;
  checkpoints.resume_after = 1'000'000 * kSecond;
  checkpoints.catch_up = [&](const std::vector<Bar>& slice) { caught_up.push_back(slice.front().ts); };
  checkpoints.restore = [&](const LoopStats& stats) { restored_at = stats; };
  // A regression must fail, not hang: the wait gives up once this is set.
  std::atomic<bool> stop{false};
  std::thread guard([&] {
    for (int i = 0; i < 600 && !stop.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
  });
  const auto began = std::chrono::steady_clock::now();
  const LoopStats stats = run_backtest_loop(bus, bars, LoopPacing{0, 1.0, &stop}, checkpoints);
  const auto waited = std::chrono::steady_clock::now() - began;
  const bool gave_up = stop.exchange(true);
  guard.join();
  CHECK_FALSE(gave_up);
  CHECK(waited < std::chrono::seconds(30));
  CHECK(caught_up == std::vector<Timestamp>{kSecond, 1'000'000 * kSecond});
  CHECK(restored_at.timestamps == 2);
  CHECK(restored_at.first == kSecond);
  CHECK(ran == std::vector<Timestamp>{1'000'000 * kSecond + 2'000'000});
  CHECK(stats.timestamps == 3);
}
