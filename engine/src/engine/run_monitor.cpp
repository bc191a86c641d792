#include "engine/run_monitor.hpp"

#include <stdexcept>

#include "qtrader/snapshot_json.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace {
constexpr auto kUpdateEvery = std::chrono::milliseconds(250);
}  // namespace

RunMonitor::RunMonitor(EventBus& bus, EventStore& store, Timestamp end_date,
                       std::function<void(const RunProgress&)> on_progress, const std::atomic<bool>* stop)
    : store_(store), end_(end_date), stop_(stop), on_progress_(std::move(on_progress)) {
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
  bus.subscribe<BacktestStartEvent>([this](const BacktestStartEvent& e) {
    initial_equity_ = equity_ = e.initial_equity;
  });
  // The timestamp's valuation comes after its trigger: a report due at the
  // trigger waits for it, so its equity is that of the timestamp it names.
  bus.subscribe<PortfolioStateEvent>([this](const PortfolioStateEvent& e) {
    equity_ = e.equity;
    open_positions_ = e.positions.size();
    if (report_due_) {
      report_due_ = false;
      report(last_, percent(last_), due_seconds_, false);
    }
  });
}

RunMonitor::~RunMonitor() {
  try {
    finish();
  } catch (...) {
    // An application's callback that throws while a run unwinds is ignored.
  }
}

// Only a run that reported progress reports its end.
void RunMonitor::finish() {
  if (finished_) return;
  finished_ = true;
  if (report_due_ && on_progress_) reported_ = true;  // it failed between a trigger and its valuation
  if (!reported_) return;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  report(last_, started_ ? percent(last_) : 0.0, seconds, true);
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
  due_seconds_ = std::chrono::duration<double>(now - start_).count();
  report_due_ = true;
}

void RunMonitor::report(Timestamp ts, double pct, double seconds, bool done) {
  if (!on_progress_) return;
  reported_ = true;
  on_progress_(RunProgress{pct, format_date(ts), bars_, seconds, done, format_timestamp(ts), equity_,
                           equity_ - initial_equity_, open_positions_});
}

}  // namespace qtrader

namespace qtrader {

std::string RunMonitor::snapshot() const {
  return snapshot_json::Json{{"first", first_},    {"last", last_},   {"started", started_}, {"bars", bars_},
                             {"initial_equity", initial_equity_}, {"equity", equity_}}
      .dump();
}

void RunMonitor::restore(std::string_view text) {
  const auto j = snapshot_json::Json::parse(text);
  first_ = j.at("first").get<Timestamp>();
  last_ = current_ = j.at("last").get<Timestamp>();
  started_ = j.at("started").get<bool>();
  bars_ = j.at("bars").get<std::uint64_t>();
  initial_equity_ = snapshot_json::number(j.at("initial_equity"));
  equity_ = snapshot_json::number(j.at("equity"));
}

}  // namespace qtrader
