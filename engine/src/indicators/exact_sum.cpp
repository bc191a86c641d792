// ExactSum: CPython's math_fsum (Modules/mathmodule.c) split into an
// incremental add and a final rounding, plus removal for sliding windows.
//
// Values whose bits all lie between 2^-60 and 2^100 (prices, volumes) are
// integers in units of 2^-60, so their sum is an exact 128-bit integer: one
// integer add per value, and one correctly rounded conversion (to nearest,
// ties to even) in value() — the very result of math.fsum, at a fraction of
// the partials' cost (docs/benchmarks.md). The first value outside that range,
// or a sum that would leave 127 bits, moves the sum into Shewchuk's partials
// until clear(); both forms hold the exact sum, so value() agrees either way.
#include <bit>
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
  fixed_ = 0;
  in_partials_ = false;
  nan_count_ = pos_inf_count_ = neg_inf_count_ = 0;
}

namespace {

constexpr int kFixedFractionBits = 60;  // the unit is 2^-60
constexpr int kFixedTopBit = 100;       // values below 2^100 units: 2^27 of them cannot overflow

// x (finite) as an integer number of 2^-60 units; false when it has bits
// below 2^-60 or is 2^40 or more (subnormals included).
bool to_fixed(double x, __int128& out) noexcept {
  const auto b = std::bit_cast<std::uint64_t>(x);
  const int exponent = static_cast<int>((b >> 52) & 0x7ff);
  if (exponent == 0) {  // zero or subnormal
    out = 0;
    return (b << 1) == 0;
  }
  const std::uint64_t mantissa = (b & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
  const int shift = exponent - 1075 + kFixedFractionBits;  // x = mantissa * 2^(shift - 60)
  __int128 v;
  if (shift >= 0) {
    if (shift > kFixedTopBit - 53) return false;
    v = static_cast<__int128>(mantissa) << shift;
  } else {
    if (shift < -52 || (mantissa & ((std::uint64_t{1} << -shift) - 1)) != 0) return false;
    v = static_cast<__int128>(mantissa >> -shift);
  }
  out = (b >> 63) ? -v : v;
  return true;
}

}  // namespace

void ExactSum::add(double x) {
  if (std::isnan(x)) {
    ++nan_count_;
  } else if (std::isinf(x)) {
    ++(x > 0 ? pos_inf_count_ : neg_inf_count_);
  } else {
    add_exact(x);
  }
}

void ExactSum::remove(double x) {
  if (std::isnan(x)) {
    --nan_count_;
  } else if (std::isinf(x)) {
    --(x > 0 ? pos_inf_count_ : neg_inf_count_);
  } else {
    add_exact(-x);
  }
}

void ExactSum::add_exact(double x) {
  if (!in_partials_) {
    __int128 v, sum;
    if (to_fixed(x, v) && !__builtin_add_overflow(fixed_, v, &sum)) {
      fixed_ = sum;
      return;
    }
    move_to_partials();
  }
  add_finite(x);
}

// The integer sum as partials: three 48-bit pieces, each an exact double.
void ExactSum::move_to_partials() {
  in_partials_ = true;
  partials_.clear();
  const bool negative = fixed_ < 0;
  auto magnitude = static_cast<unsigned __int128>(fixed_);
  if (negative) magnitude = -magnitude;  // unsigned: no overflow at the smallest value
  fixed_ = 0;
  for (int piece = 0; magnitude != 0; ++piece, magnitude >>= 48) {
    const auto bits = static_cast<std::uint64_t>(magnitude & ((std::uint64_t{1} << 48) - 1));
    if (bits != 0) {
      const double part = std::ldexp(static_cast<double>(bits), 48 * piece - kFixedFractionBits);
      add_finite(negative ? -part : part);
    }
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
  // Rounded once, in the conversion; the power of two is exact.
  if (!in_partials_) return static_cast<double>(fixed_) * 0x1p-60;

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
