// Moving averages of one bar field: SMA, EMA, WMA.
#include "indicators/families.hpp"
#include "indicators/indicator_base.hpp"
#include "indicators/talib_averages.hpp"

namespace qtrader::indicators {
namespace {

// SMA as backtrader computes it: math.fsum of the window divided by the
// period. The exactly rounded sum makes equal averages compare equal, which
// decides crossovers; TA-Lib's running total agrees only to ~1e-15.
class Sma final : public IndicatorBase<1> {
 public:
  Sma(BarField field, int period, int history)
      : IndicatorBase(history), field_(field), period_(period), window_(period) {}

  void update(const Bar& bar) override {
    double x = field_of(bar, field_);
    if (window_.full()) sum_.remove(window_.oldest());
    window_.push(x);
    sum_.add(x);
    if (window_.full())
      publish(sum_.value() / period_);
    else
      publish_undefined();
  }

 private:
  BarField field_;
  int period_;
  RingBuffer window_;
  ExactSum sum_;
};

// TA_EMA: seeded with the SMA of the first `period` values.
class Ema final : public IndicatorBase<1> {
 public:
  Ema(BarField field, int period, int history)
      : IndicatorBase(history), field_(field), ema_(period) {}

  void update(const Bar& bar) override {
    double out;
    if (ema_.step(field_of(bar, field_), out))
      publish(out);
    else
      publish_undefined();
  }

 private:
  BarField field_;
  SeededEma ema_;
};

// TA_WMA: weights 1..period, newest heaviest, kept as two running totals
// (the plain sum and the weighted sum) updated in TA-Lib's order.
class Wma final : public IndicatorBase<1> {
 public:
  Wma(BarField field, int period, int history)
      : IndicatorBase(history),
        field_(field),
        period_(period),
        divider_(static_cast<double>((static_cast<long long>(period) * (period + 1)) >> 1)),
        window_(period) {}

  void update(const Bar& bar) override {
    double x = field_of(bar, field_);
    window_.push(x);
    if (period_ == 1) {  // TA-Lib copies the input through
      publish(x);
      return;
    }
    if (!window_.full()) {
      plain_sum_ += x;
      weighted_sum_ += x * window_.size();
      publish_undefined();
      return;
    }
    plain_sum_ += x;
    plain_sum_ -= trailing_;
    weighted_sum_ += x * period_;
    trailing_ = window_.oldest();
    publish(weighted_sum_ / divider_);
    weighted_sum_ -= plain_sum_;
  }

 private:
  BarField field_;
  int period_;
  double divider_;
  RingBuffer window_;
  double plain_sum_ = 0.0;
  double weighted_sum_ = 0.0;
  double trailing_ = 0.0;  // value leaving the window at the next bar
};

}  // namespace

std::unique_ptr<Indicator> make_sma(BarField field, int period, int history) {
  return std::make_unique<Sma>(field, period, history);
}
std::unique_ptr<Indicator> make_ema(BarField field, int period, int history) {
  return std::make_unique<Ema>(field, period, history);
}
std::unique_ptr<Indicator> make_wma(BarField field, int period, int history) {
  return std::make_unique<Wma>(field, period, history);
}

}  // namespace qtrader::indicators
