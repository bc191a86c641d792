// ExactSum: CPython's math_fsum (Modules/mathmodule.c) split into an
// incremental add and a final rounding, plus removal for sliding windows.
#include <cmath>
#include <stdexcept>
#include <utility>

#include "qtrader/indicators.hpp"

namespace qtrader {

namespace {
// CPython keeps 32 partials on the stack before it grows the array; sums of
// prices need far fewer, so this keeps add() allocation-free in practice.
constexpr std::size_t kReservedPartials = 32;
}  // namespace

ExactSum::ExactSum() { partials_.reserve(kReservedPartials); }

void ExactSum::clear() noexcept {
  partials_.clear();
  nan_count_ = pos_inf_count_ = neg_inf_count_ = 0;
}

void ExactSum::add(double x) {
  if (std::isnan(x)) {
    ++nan_count_;
  } else if (std::isinf(x)) {
    ++(x > 0 ? pos_inf_count_ : neg_inf_count_);
  } else {
    add_finite(x);
  }
}

void ExactSum::remove(double x) {
  if (std::isnan(x)) {
    --nan_count_;
  } else if (std::isinf(x)) {
    --(x > 0 ? pos_inf_count_ : neg_inf_count_);
  } else {
    add_finite(-x);
  }
}

// Shewchuk's grow-expansion: merge x into the partials, keeping them
// non-overlapping and in increasing magnitude, with zeros dropped.
void ExactSum::add_finite(double x) {
  std::size_t kept = 0;
  for (std::size_t j = 0; j < partials_.size(); ++j) {
    double y = partials_[j];
    if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
    double hi = x + y;
    double lo = y - (hi - x);
    if (lo != 0.0) partials_[kept++] = lo;
    x = hi;
  }
  partials_.resize(kept);
  if (x != 0.0) {
    if (!std::isfinite(x)) throw std::overflow_error("ExactSum: intermediate overflow");
    partials_.push_back(x);
  }
}

double ExactSum::value() const noexcept {
  if (nan_count_ > 0 || (pos_inf_count_ > 0 && neg_inf_count_ > 0)) return kNaN;
  if (pos_inf_count_ > 0) return std::numeric_limits<double>::infinity();
  if (neg_inf_count_ > 0) return -std::numeric_limits<double>::infinity();

  std::size_t n = partials_.size();
  double hi = 0.0;
  double lo = 0.0;
  if (n > 0) {
    hi = partials_[--n];
    // Add from the top down until the sum becomes inexact.
    while (n > 0) {
      double x = hi;
      double y = partials_[--n];
      hi = x + y;
      double yr = hi - x;
      lo = y - yr;
      if (lo != 0.0) break;
    }
    // Half-even rounding across partials: when the discarded error `lo` and
    // the next partial down have the same sign, the true sum lies beyond the
    // half-way point, so round away (CPython's fix for [1e-16, 1, 1e16]).
    if (n > 0 && ((lo < 0.0 && partials_[n - 1] < 0.0) || (lo > 0.0 && partials_[n - 1] > 0.0))) {
      double y = lo * 2.0;
      double x = hi + y;
      double yr = x - hi;
      if (y == yr) hi = x;
    }
  }
  return hi;
}

}  // namespace qtrader
