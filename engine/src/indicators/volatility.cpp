// Volatility: Bollinger bands, standard deviation (population), ATR — each
// following its TA-Lib 0.4 function step for step.
#include <cmath>

#include "indicators/families.hpp"
#include "indicators/indicator_base.hpp"
#include "indicators/talib_averages.hpp"

namespace qtrader::indicators {
namespace {

// TA_BBANDS with the SMA middle band: TA_INT_SMA's running total for the
// middle, and TA_INT_stddev_using_precalc_ma for the deviation (running total
// of squares, mean of squares minus the squared middle band; variances below
// TA-Lib's zero threshold count as 0).
class BollingerBands final : public IndicatorBase<3> {
 public:
  BollingerBands(BarField field, int period, double nbdevup, double nbdevdn, int history)
      : IndicatorBase(history),
        field_(field),
        period_(period),
        nbdevup_(nbdevup),
        nbdevdn_(nbdevdn),
        middle_(period),
        window_(period) {}

  void update(const Bar& bar) override {
    double x = field_of(bar, field_);
    window_.push(x);
    double middle;
    if (!middle_.step(x, middle)) {
      squares_ += x * x;
      publish_undefined();
      return;
    }
    squares_ += x * x;
    double variance = squares_ / period_;
    double oldest = window_.oldest();
    squares_ -= oldest * oldest;
    variance -= middle * middle;
    double deviation = talib_is_zero_or_neg(variance) ? 0.0 : std::sqrt(variance);
    publish(middle + deviation * nbdevup_, middle, middle - deviation * nbdevdn_);
  }

 private:
  BarField field_;
  int period_;
  double nbdevup_;
  double nbdevdn_;
  RunningSma middle_;
  RingBuffer window_;
  double squares_ = 0.0;  // running total of x^2 over the window
};

// TA_STDDEV: sqrt of TA_INT_VAR (running totals of x and x^2, mean of squares
// minus squared mean), times nbdev; 0 below TA-Lib's zero threshold.
class StdDev final : public IndicatorBase<1> {
 public:
  StdDev(BarField field, int period, double nbdev, int history)
      : IndicatorBase(history), field_(field), period_(period), nbdev_(nbdev), window_(period) {}

  void update(const Bar& bar) override {
    double x = field_of(bar, field_);
    window_.push(x);
    total_ += x;
    squares_ += x * x;
    if (!window_.full()) {
      publish_undefined();
      return;
    }
    double mean = total_ / period_;
    double mean_of_squares = squares_ / period_;
    double oldest = window_.oldest();
    total_ -= oldest;
    squares_ -= oldest * oldest;
    double variance = mean_of_squares - mean * mean;
    publish(talib_is_zero_or_neg(variance) ? 0.0 : std::sqrt(variance) * nbdev_);
  }

 private:
  BarField field_;
  int period_;
  double nbdev_;
  RingBuffer window_;
  double total_ = 0.0;
  double squares_ = 0.0;
};

// TA_ATR: true range from the second bar on, seeded with the plain average of
// the first `period` true ranges, then Wilder's smoothing.
class Atr final : public IndicatorBase<1> {
 public:
  Atr(int period, int history) : IndicatorBase(history), period_(period) {}

  void update(const Bar& bar) override {
    if (!have_prev_) {
      prev_close_ = bar.close;
      have_prev_ = true;
      publish_undefined();
      return;
    }
    double range = true_range(bar.high, bar.low, prev_close_);
    prev_close_ = bar.close;
    if (seed_ranges_ < period_) {
      atr_ += range;
      if (++seed_ranges_ < period_) {
        publish_undefined();
        return;
      }
      atr_ /= period_;
    } else {
      atr_ *= period_ - 1;
      atr_ += range;
      atr_ /= period_;
    }
    publish(atr_);
  }

 private:
  int period_;
  bool have_prev_ = false;
  int seed_ranges_ = 0;  // true ranges summed into the seed so far
  double prev_close_ = 0.0;
  double atr_ = 0.0;
};

}  // namespace

std::unique_ptr<Indicator> make_bbands(BarField field, int period, double nbdevup, double nbdevdn,
                                       int history) {
  return std::make_unique<BollingerBands>(field, period, nbdevup, nbdevdn, history);
}
std::unique_ptr<Indicator> make_stddev(BarField field, int period, double nbdev, int history) {
  return std::make_unique<StdDev>(field, period, nbdev, history);
}
std::unique_ptr<Indicator> make_atr(int period, int history) {
  return std::make_unique<Atr>(period, history);
}

}  // namespace qtrader::indicators
