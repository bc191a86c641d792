#include "strategy/bar_history.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace qtrader {

HistoryField parse_history_field(std::string_view name) {
  HistoryField f;
  if (name == "ts" || name == "time") f.time = true;
  else if (!parse_bar_field(name, f.field))
    throw std::invalid_argument(fmt::format(
        "unknown bar field '{}' (fields: open, high, low, close, volume, adj_close, ts)", name));
  return f;
}

BarHistory::BarHistory(std::size_t symbol_count, int initial_depth)
    : rings_(symbol_count), depth_(0) {
  reserve(initial_depth < 1 ? 1 : initial_depth);
}

namespace {

void check_depth(int depth) {
  if (depth > BarHistory::kMaxDepth)
    throw std::invalid_argument(
        fmt::format("history depth {} is above the limit of {} bars", depth, BarHistory::kMaxDepth));
}

}  // namespace

void BarHistory::want(int depth) const {
  check_depth(depth);
  if (depth > wanted_) wanted_ = depth;
}

void BarHistory::reserve(int depth) {
  check_depth(depth);
  if (depth <= depth_) return;
  for (Ring& r : rings_) {
    // Re-lay the held bars oldest first at the start of the larger ring.
    std::vector<Bar> bars(static_cast<std::size_t>(depth));
    for (std::size_t i = 0; i < r.count; ++i)
      bars[i] = at(r, static_cast<int>(r.count - 1 - i));
    r.bars.swap(bars);
    r.head = r.count % static_cast<std::size_t>(depth);
  }
  depth_ = depth;
}

void BarHistory::push(const Bar& bar) {
  if (wanted_ > depth_) reserve(wanted_);
  Ring& r = rings_[bar.symbol];
  r.bars[r.head] = bar;
  r.head = r.head + 1 == static_cast<std::size_t>(depth_) ? 0 : r.head + 1;
  if (r.count < static_cast<std::size_t>(depth_)) ++r.count;
}

const Bar& BarHistory::at(const Ring& r, int ago) const noexcept {
  const std::size_t cap = r.bars.size();
  return r.bars[(r.head + cap - 1 - static_cast<std::size_t>(ago)) % cap];
}

int BarHistory::held(SymbolId s) const noexcept {
  return s < rings_.size() ? static_cast<int>(rings_[s].count) : 0;
}

double BarHistory::value(SymbolId s, HistoryField f, int ago) const noexcept {
  if (s >= rings_.size() || ago < 0) return kNaN;
  const Ring& r = rings_[s];
  if (static_cast<std::size_t>(ago) >= r.count) return kNaN;
  return field(at(r, ago), f);
}

void BarHistory::history(SymbolId s, HistoryField f, int n, std::vector<double>& out) const {
  out.clear();
  if (s >= rings_.size() || n <= 0) return;
  const Ring& r = rings_[s];
  const int k = n < static_cast<int>(r.count) ? n : static_cast<int>(r.count);
  for (int ago = k - 1; ago >= 0; --ago) out.push_back(field(at(r, ago), f));
}

}  // namespace qtrader
