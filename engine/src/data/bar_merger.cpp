// BarMerger: the merge of symbol streams into timestamp slices.
//
// Market data is mostly aligned: every symbol of a daily or minute universe
// has a bar at the same timestamps. A heap merge pays two O(log N) heap
// operations per bar for that; here the streams that share the next
// timestamp wait together in one list (`group`), so an aligned bar costs one
// comparison. Streams that fall out of step (a gap, a late start, another
// calendar) wait in a heap keyed by (timestamp, symbol, stream), and the two
// are merged when their timestamps meet. Nothing is allocated per bar once
// the lists have grown to the universe's size.
#include <algorithm>
#include <utility>

#include "qtrader/data.hpp"

namespace qtrader {

namespace {

struct Waiting {
  Timestamp ts;
  SymbolId symbol;
  std::uint32_t stream;
};

// std::*_heap build a max-heap, so "less" means "comes later".
bool later(const Waiting& x, const Waiting& y) noexcept {
  if (x.ts != y.ts) return x.ts > y.ts;
  if (x.symbol != y.symbol) return x.symbol > y.symbol;
  return x.stream > y.stream;
}

}  // namespace

struct BarMerger::Impl {
  std::vector<std::unique_ptr<BarStream>> streams;
  std::vector<Bar> current;  // each live stream's next bar, by stream index
  std::vector<std::uint8_t> current_flags;  // and its BarFlag bits
  std::vector<std::uint8_t> scratch_flags;  // next_batch without flags

  // Streams whose next bar is at group_ts, in (symbol, stream) order unless
  // group_sorted is false.
  Timestamp group_ts = 0;
  std::vector<std::uint32_t> group;
  bool group_sorted = true;
  std::vector<Waiting> heap;  // every other live stream

  std::vector<std::uint32_t> batch;  // the streams of the slice being built

  bool before(std::uint32_t a, std::uint32_t b) const noexcept {
    const SymbolId sa = current[a].symbol, sb = current[b].symbol;
    return sa != sb ? sa < sb : a < b;
  }

  // Reads stream i's next bar and files the stream under its timestamp.
  void advance(std::uint32_t i) {
    if (!streams[i]->next(current[i])) {
      streams[i].reset();  // an exhausted stream gives its file and buffer back
      return;
    }
    current_flags[i] = streams[i]->flags();
    file(i);
  }

  void file(std::uint32_t i) {
    const Bar& b = current[i];
    if (group.empty()) {
      group_ts = b.ts;
      group.push_back(i);
      group_sorted = true;
    } else if (b.ts == group_ts) {
      if (group_sorted && !before(group.back(), i)) group_sorted = false;
      group.push_back(i);
    } else {
      heap.push_back({b.ts, b.symbol, i});
      std::push_heap(heap.begin(), heap.end(), later);
    }
  }

  bool empty() const noexcept { return group.empty() && heap.empty(); }

  // Moves the streams of the earliest timestamp into `batch`, in order.
  void take_next(Timestamp& ts) {
    batch.clear();
    const bool from_group = !group.empty() && (heap.empty() || group_ts <= heap.front().ts);
    ts = from_group ? group_ts : heap.front().ts;
    if (from_group) {
      batch.swap(group);
      group.clear();
    }
    // Out-of-step streams that reached the same timestamp join the slice.
    bool sorted = !from_group || group_sorted;
    while (!heap.empty() && heap.front().ts == ts) {
      std::pop_heap(heap.begin(), heap.end(), later);
      const std::uint32_t i = heap.back().stream;
      heap.pop_back();
      if (sorted && !batch.empty() && !before(batch.back(), i)) sorted = false;
      batch.push_back(i);
    }
    if (!sorted) std::sort(batch.begin(), batch.end(), [this](auto a, auto b) { return before(a, b); });
    // A slice taken from the heap while a smaller group waits for a later
    // timestamp: the group joins the heap, so the streams of this slice can
    // form the next group instead of all landing in the heap behind it.
    // Bounded by the slice's size, so amortised per bar.
    if (!from_group && !group.empty() && group.size() <= batch.size()) {
      for (const std::uint32_t i : group) {
        heap.push_back({group_ts, current[i].symbol, i});
        std::push_heap(heap.begin(), heap.end(), later);
      }
      group.clear();
    }
  }
};

BarMerger::BarMerger(std::vector<std::unique_ptr<BarStream>> streams) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.streams = std::move(streams);
  m.current.resize(m.streams.size());
  m.current_flags.resize(m.streams.size(), 0);
  m.group.reserve(m.streams.size());
  m.batch.reserve(m.streams.size());
  m.heap.reserve(m.streams.size());
  // Reading every first bar now surfaces bad files before the run starts.
  for (std::size_t i = 0; i < m.streams.size(); ++i)
    if (m.streams[i]) m.advance(static_cast<std::uint32_t>(i));
}

BarMerger::~BarMerger() = default;
BarMerger::BarMerger(BarMerger&&) noexcept = default;
BarMerger& BarMerger::operator=(BarMerger&&) noexcept = default;

bool BarMerger::empty() const noexcept { return !impl_ || impl_->empty(); }

bool BarMerger::next_batch(std::vector<Bar>& out) {
  if (!impl_) {
    out.clear();
    return false;
  }
  return next_batch(out, impl_->scratch_flags);
}

bool BarMerger::next_batch(std::vector<Bar>& out, std::vector<std::uint8_t>& flags) {
  out.clear();
  flags.clear();
  if (!impl_ || impl_->empty()) return false;
  Impl& m = *impl_;
  Timestamp ts;
  m.take_next(ts);
  for (const std::uint32_t i : m.batch) {
    out.push_back(m.current[i]);
    flags.push_back(m.current_flags[i]);
  }
  // Only now: a stream's next bar overwrites current[i].
  for (const std::uint32_t i : m.batch) m.advance(i);
  // A stream that has just run out while others go on: its symbol's data ends
  // before the run's.
  if (!m.empty())
    for (std::size_t k = 0; k < m.batch.size(); ++k)
      if (!m.streams[m.batch[k]]) flags[k] |= kBarEndOfData;
  return true;
}

}  // namespace qtrader
