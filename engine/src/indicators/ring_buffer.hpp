// The last `capacity` values of a series, newest first. Storage is allocated
// once at construction, so pushing never allocates.
#pragma once

#include <vector>

#include "qtrader/types.hpp"

namespace qtrader::indicators {

class RingBuffer {
 public:
  RingBuffer() = default;
  explicit RingBuffer(int capacity) : slots_(static_cast<std::size_t>(capacity), 0.0) {}

  void push(double x) noexcept {
    slots_[next_] = x;
    next_ = next_ + 1 == slots_.size() ? 0 : next_ + 1;
    if (size_ < slots_.size()) ++size_;
  }

  int capacity() const noexcept { return static_cast<int>(slots_.size()); }
  int size() const noexcept { return static_cast<int>(size_); }
  bool full() const noexcept { return size_ == slots_.size(); }

  // Value pushed `ago` pushes before the newest (0 = newest); the caller
  // guarantees 0 <= ago < size().
  double ago(int ago) const noexcept {
    std::size_t back = static_cast<std::size_t>(ago) + 1;
    return slots_[next_ >= back ? next_ - back : next_ + slots_.size() - back];
  }
  // Like ago(), but NaN outside what is kept.
  double ago_or_nan(int ago) const noexcept {
    return (ago < 0 || ago >= size()) ? kNaN : this->ago(ago);
  }
  double newest() const noexcept { return ago(0); }
  double oldest() const noexcept { return ago(size() - 1); }

  // Raw storage slot: the k-th value ever pushed sits in slot k % capacity.
  // TA-Lib's CCI sums its circular buffer in slot order, and so must we to
  // reproduce its last bits.
  double slot(int index) const noexcept { return slots_[static_cast<std::size_t>(index)]; }

 private:
  std::vector<double> slots_;
  std::size_t next_ = 0;
  std::size_t size_ = 0;
};

}  // namespace qtrader::indicators
