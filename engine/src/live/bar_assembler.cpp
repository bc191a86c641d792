#include "live/bar_assembler.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"

namespace qtrader::live {

BarAssembler::BarAssembler(const SymbolTable& symbols, std::vector<Timeframe> timeframes,
                           std::vector<TimeZone> zones)
    : symbols_(symbols), timeframes_(std::move(timeframes)), zones_(std::move(zones)),
      building_(symbols.size()) {}

void BarAssembler::hold(const Bar& bar, std::uint8_t flags) {
  if (bar.ts <= last_run_) {
    ++late_;
    run_log().warn("live: late bar of {} at {} dropped (that timestamp has run)", symbols_.name(bar.symbol),
                   bar.ts);
    return;
  }
  held_[bar.ts].emplace_back(bar, flags);
}

// Trades of a window are all in once the feed's time reaches the window's end.
void BarAssembler::close_windows_before(Timestamp ts) {
  for (auto& b : building_)
    if (b && b->window.end <= ts) {
      hold(b->bar, 0);
      b.reset();
    }
}

void BarAssembler::add(const FeedUpdate& u) {
  const SymbolId s = symbols_.find(u.symbol);
  if (s == kNoSymbol) {
    ++unknown_;
    return;
  }
  watermark_ = std::max(watermark_, u.ts);
  if (u.kind == FeedUpdate::Kind::Bar) {
    hold(Bar{u.ts, s, u.open, u.high, u.low, u.close, u.volume, kNaN}, u.flags);
    return;
  }
  close_windows_before(u.ts);
  auto& b = building_[s];
  if (!b) {
    const Timeframe tf = timeframes_[s].is_source() ? Timeframe{Timeframe::Unit::Minute, 1} : timeframes_[s];
    const Window w = window_of(tf, zones_[s], u.ts);
    b = Building{w, Bar{w.start, s, u.price, u.price, u.price, u.price, 0, kNaN}};
  }
  b->bar.high = std::max(b->bar.high, u.price);
  b->bar.low = std::min(b->bar.low, u.price);
  b->bar.close = u.price;
  b->bar.volume += u.size;
}

void BarAssembler::finish() {
  finished_ = true;
  for (auto& b : building_)
    if (b) {
      hold(b->bar, 0);
      b.reset();
    }
}

bool BarAssembler::next_slice(std::vector<Bar>& bars, std::vector<std::uint8_t>& flags) {
  if (held_.empty()) return false;
  auto it = held_.begin();
  auto& items = it->second;
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first.symbol < b.first.symbol; });
  // Complete when every symbol of the universe has its bar of T (at once:
  // waiting for T+1 would act a bar late), or when the feed has moved past
  // T — a later bar, or trades at or after the end of T's window (held only
  // once their window closed) — for a symbol with no bar at T.
  std::size_t distinct = 0;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (i == 0 || items[i].first.symbol != items[i - 1].first.symbol) ++distinct;
  if (!finished_ && it->first >= watermark_ && distinct < symbols_.size()) return false;
  bars.clear();
  flags.clear();
  for (const auto& [bar, f] : items) {
    if (!bars.empty() && bars.back().symbol == bar.symbol) {  // a repeated bar: the newest wins
      bars.back() = bar;
      flags.back() = f;
      continue;
    }
    bars.push_back(bar);
    flags.push_back(f);
  }
  last_run_ = it->first;
  held_.erase(it);
  return true;
}

}  // namespace qtrader::live
