#include "engine/run_monitor.hpp"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace {
constexpr auto kUpdateEvery = std::chrono::milliseconds(250);
constexpr double kBarAfterSeconds = 1.0;  // short runs draw nothing
}  // namespace

RunMonitor::RunMonitor(EventBus& bus, EventStore& store, Timestamp end_date, bool progress_bar,
                       const std::atomic<bool>* stop)
    : store_(store), end_(end_date), progress_bar_(progress_bar && isatty(STDERR_FILENO)), stop_(stop) {
  start_ = last_update_ = std::chrono::steady_clock::now();
  // Subscribed before the services (RunRecord is made first), so the first bar
  // of a timestamp reaches this before any service has acted on it.
  bus.subscribe<BarEvent>([this](const BarEvent& e) {
    if (stop_ && e.bar.ts != current_) {
      current_ = e.bar.ts;
      if (stop_->load(std::memory_order_relaxed))
        throw RunInterrupted(fmt::format("interrupted before {}: the results hold every timestamp "
                                         "before it",
                                         format_timestamp(e.bar.ts)));
    }
    ++bars_;
  });
  bus.subscribe<ValuationTriggerEvent>([this](const ValuationTriggerEvent& e) { on_timestamp(e.ts); });
}

RunMonitor::~RunMonitor() { finish(); }

void RunMonitor::finish() {
  if (drawn_) {
    std::fputs("\r\033[K", stderr);
    drawn_ = false;
  }
}

// Progress is the share of the simulated period done: exact for evenly
// spaced bars, and it never needs the data counted in advance.
double RunMonitor::percent(Timestamp ts) const {
  const double span = static_cast<double>(end_ - first_);
  return span > 0 ? std::clamp(100.0 * static_cast<double>(ts - first_) / span, 0.0, 100.0) : 100.0;
}

void RunMonitor::record_progress() {
  if (started_) store_.update_run(percent(last_), last_, bars_);
}

void RunMonitor::on_timestamp(Timestamp ts) {
  if (!started_) {
    first_ = ts;
    started_ = true;
  }
  last_ = ts;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_update_ < kUpdateEvery) return;
  last_update_ = now;
  const double pct = percent(ts);
  store_.update_run(pct, ts, bars_);
  const double seconds = std::chrono::duration<double>(now - start_).count();
  if (progress_bar_ && seconds >= kBarAfterSeconds) draw(ts, pct, seconds);
}

void RunMonitor::draw(Timestamp ts, double pct, double seconds) {
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(pct / 100.0 * kWidth);
  const double rate = static_cast<double>(bars_) / seconds;
  const double left = pct > 0 ? seconds * (100.0 - pct) / pct : 0.0;
  fmt::print(stderr, "\r\033[K{:5.1f}% [{}{}] {}  {} bars  {:.0f} bars/s  {:.0f}s left", pct,
             std::string(filled, '#'), std::string(kWidth - filled, '.'), format_date(ts), bars_,
             rate, left);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace qtrader
