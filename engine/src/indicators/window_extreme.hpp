// Highest or lowest of the last `period` values, rescanning the window only
// when the current extreme falls out of it (TA-Lib's approach for MAX, MIN,
// WILLR and STOCH): O(1) per value on average, O(period) at worst.
#pragma once

#include "indicators/ring_buffer.hpp"

namespace qtrader::indicators {

template <class Better>
class WindowExtreme {
 public:
  explicit WindowExtreme(int period) : window_(period) {}

  // Feeds x and returns the extreme of the last `period` values fed so far
  // (fewer while the window fills).
  double push(double x) noexcept {
    window_.push(x);
    if (window_.size() == 1 || !Better{}(extreme_, x)) {
      extreme_ = x;
      age_ = 0;
    } else if (++age_ >= window_.capacity()) {
      rescan();
    }
    return extreme_;
  }
  bool full() const noexcept { return window_.full(); }
  double value() const noexcept { return extreme_; }

 private:
  void rescan() noexcept {
    extreme_ = window_.ago(0);
    age_ = 0;
    for (int k = 1; k < window_.size(); ++k) {
      double v = window_.ago(k);
      if (Better{}(v, extreme_)) {
        extreme_ = v;
        age_ = k;
      }
    }
  }

  RingBuffer window_;
  double extreme_ = 0.0;
  int age_ = 0;  // bars since extreme_ was pushed
};

struct Greater {
  bool operator()(double a, double b) const noexcept { return a > b; }
};
struct Less {
  bool operator()(double a, double b) const noexcept { return a < b; }
};
using WindowMax = WindowExtreme<Greater>;
using WindowMin = WindowExtreme<Less>;

}  // namespace qtrader::indicators
