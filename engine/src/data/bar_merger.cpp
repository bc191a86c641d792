// BarMerger: the k-way merge of symbol streams into timestamp slices.
#include <algorithm>
#include <utility>

#include "qtrader/data.hpp"

namespace qtrader {

struct BarMerger::Impl {
  std::vector<std::unique_ptr<BarStream>> streams;
  std::vector<Bar> current;        // each live stream's next bar, by stream index
  std::vector<std::size_t> heap;   // live stream indexes, earliest (ts, symbol) on top

  // std::*_heap build a max-heap, so "less" means "comes later".
  bool later(std::size_t a, std::size_t b) const noexcept {
    const Bar& x = current[a];
    const Bar& y = current[b];
    if (x.ts != y.ts) return x.ts > y.ts;
    if (x.symbol != y.symbol) return x.symbol > y.symbol;
    return a > b;
  }
  auto comparator() const noexcept {
    return [this](std::size_t a, std::size_t b) { return later(a, b); };
  }

  void push_if_more(std::size_t i) {
    if (!streams[i]->next(current[i])) {
      streams[i].reset();  // an exhausted stream gives its file and buffer back
      return;
    }
    heap.push_back(i);
    std::push_heap(heap.begin(), heap.end(), comparator());
  }
};

BarMerger::BarMerger(std::vector<std::unique_ptr<BarStream>> streams) : impl_(std::make_unique<Impl>()) {
  impl_->streams = std::move(streams);
  impl_->current.resize(impl_->streams.size());
  impl_->heap.reserve(impl_->streams.size());
  // Reading every first bar now surfaces bad files before the run starts.
  for (std::size_t i = 0; i < impl_->streams.size(); ++i)
    if (impl_->streams[i]) impl_->push_if_more(i);
}

BarMerger::~BarMerger() = default;
BarMerger::BarMerger(BarMerger&&) noexcept = default;
BarMerger& BarMerger::operator=(BarMerger&&) noexcept = default;

bool BarMerger::next_batch(std::vector<Bar>& out) {
  out.clear();
  if (!impl_ || impl_->heap.empty()) return false;
  Impl& m = *impl_;
  const Timestamp ts = m.current[m.heap.front()].ts;
  while (!m.heap.empty() && m.current[m.heap.front()].ts == ts) {
    std::pop_heap(m.heap.begin(), m.heap.end(), m.comparator());
    const std::size_t i = m.heap.back();
    m.heap.pop_back();
    out.push_back(m.current[i]);
    m.push_if_more(i);
  }
  return true;
}

}  // namespace qtrader
