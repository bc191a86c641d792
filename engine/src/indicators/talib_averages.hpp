// TA-Lib's own moving-average kernels, used where TA-Lib feeds one average into
// another (BBANDS, STOCH, MACD). They repeat TA-Lib's floating-point operations
// in the same order, running totals included, so that the results agree with
// TA-Lib to the last bit rather than merely to a tolerance.
#pragma once

#include <cmath>

#include "indicators/ring_buffer.hpp"

namespace qtrader::indicators {

// TA_INT_SMA: add the newest value, emit total / period, then subtract the
// oldest value of the window.
class RunningSma {
 public:
  explicit RunningSma(int period) : period_(period), window_(period) {}

  // Feeds x; returns true and sets `out` once `period` values have been fed.
  bool step(double x, double& out) noexcept {
    total_ += x;
    window_.push(x);
    if (!window_.full()) return false;
    out = total_ / period_;
    total_ -= window_.oldest();
    return true;
  }

 private:
  int period_;
  RingBuffer window_;
  double total_ = 0.0;
};

// TA_INT_EMA in TA-Lib's default compatibility: the seed is the plain average
// of the first `period` values, then ema = (x - ema) * k + ema with
// k = 2 / (period + 1).
class SeededEma {
 public:
  explicit SeededEma(int period)
      : period_(period), k_(2.0 / static_cast<double>(period + 1)) {}

  // Feeds x; returns true and sets `out` from the period-th value on.
  bool step(double x, double& out) noexcept {
    if (seen_ < period_) {
      seed_total_ += x;
      if (++seen_ < period_) return false;
      ema_ = seed_total_ / period_;
    } else {
      ema_ = ((x - ema_) * k_) + ema_;
    }
    out = ema_;
    return true;
  }

 private:
  int period_;
  double k_;
  int seen_ = 0;
  double seed_total_ = 0.0;
  double ema_ = 0.0;
};

// TA-Lib's test for "zero" in RSI, ADX, STDDEV and BBANDS (ta_utility.h, 0.4.0).
inline bool talib_is_zero(double v) noexcept { return -0.00000001 < v && v < 0.00000001; }
inline bool talib_is_zero_or_neg(double v) noexcept { return v < 0.00000001; }

// True range against the previous close, compared in TA-Lib's order.
inline double true_range(double high, double low, double prev_close) noexcept {
  double greatest = high - low;
  double to_high = std::fabs(high - prev_close);
  if (to_high > greatest) greatest = to_high;
  double to_low = std::fabs(low - prev_close);
  if (to_low > greatest) greatest = to_low;
  return greatest;
}

}  // namespace qtrader::indicators
