// Technical indicators computed in C++, updated once per bar of their symbol.
// Definitions and warm-up follow TA-Lib 0.4 (see docs/lua-api.md), except SMA
// which is an exactly rounded window sum divided by n (backtrader's fsum), so
// that crossovers on exactly equal averages are decided the same way.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader {

enum class BarField : std::uint8_t { Open, High, Low, Close, Volume, AdjClose };
// false when `name` is not one of open, high, low, close, volume, adj_close.
bool parse_bar_field(std::string_view name, BarField& out) noexcept;
double field_of(const Bar& bar, BarField f) noexcept;

class Indicator {
 public:
  virtual ~Indicator() = default;
  // Feed the next bar of this indicator's symbol.
  virtual void update(const Bar& bar) = 0;
  // Number of output lines (macd: line, signal, histogram; bbands: upper, middle, lower).
  virtual int outputs() const noexcept { return 1; }
  // Output `line` as of `ago` bars back (0 = the latest bar); NaN while not
  // defined yet or beyond the kept history.
  virtual double value(int line = 0, int ago = 0) const noexcept = 0;
  bool ready() const noexcept { return value(0, 0) == value(0, 0); }
};

// Builds an indicator by name: sma, ema, wma, rsi, macd, bbands, stddev, atr,
// roc, willr, stoch, adx, cci, obv, highest, lowest. `field` is the input of the
// single-series indicators (highest/lowest included: highest of High is the
// usual channel top); atr, willr, stoch, adx, cci use high/low/close, and obv
// compares `field` (normally close) from bar to bar and adds or subtracts volume.
// `args` are the periods etc. in TA-Lib's order; trailing arguments left out take
// TA-Lib's defaults (sma/ema/wma/highest/lowest 30, rsi/atr/willr/adx/cci 14,
// macd 12 26 9, bbands 5 2 2, stddev 5 1, roc 10, stoch 5 3 3).
// `history` is how many past values value(.., ago) can reach (at least 1).
// Throws std::invalid_argument with a message naming the kind and the bad argument.
std::unique_ptr<Indicator> make_indicator(std::string_view kind, BarField field,
                                          std::span<const double> args, int history = 256);
// The default make_indicator gives argument `index` (0-based) of `kind` when it
// is left out; nullopt for an unknown kind or an index past its arguments.
std::optional<double> indicator_default_argument(std::string_view kind, int index);

// Python's math.fsum over a sliding window: add() and remove() keep exact
// partial sums (Shewchuk), value() rounds them once, correctly (CPython's final
// step, half-way case included), so the result equals math.fsum of the values
// currently in the window whatever the order they came and went.
// Infinities and NaN are counted apart, so removing them restores a finite sum;
// a finite sum that overflows throws std::overflow_error, as fsum does.
// Prices and volumes are summed as one 128-bit integer (exact_sum.cpp).
class ExactSum {
 public:
  // Reserves room for the partials, so that add()/remove() do not allocate for
  // any realistic window (prices need two or three partials).
  ExactSum();
  void add(double x);
  void remove(double x);
  double value() const noexcept;
  void clear() noexcept;

 private:
  void add_exact(double x);  // finite x
  void move_to_partials();
  void add_finite(double x);

  __int128 fixed_ = 0;            // the sum in units of 2^-60, while !in_partials_
  bool in_partials_ = false;
  std::vector<double> partials_;  // non-overlapping, increasing magnitude
  long nan_count_ = 0;
  long pos_inf_count_ = 0;
  long neg_inf_count_ = 0;
};

}  // namespace qtrader
