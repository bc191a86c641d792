// Oscillators: RSI, MACD, ROC, Williams %R, slow stochastic, CCI — each
// following its TA-Lib 0.4 function step for step.
#include <algorithm>
#include <cmath>

#include "indicators/families.hpp"
#include "indicators/indicator_base.hpp"
#include "indicators/talib_averages.hpp"
#include "indicators/window_extreme.hpp"

namespace qtrader::indicators {
namespace {

// TA_RSI: Wilder's average gain and loss, seeded with the plain average of the
// first `period` changes; first value on bar period + 1.
class Rsi final : public IndicatorBase<1> {
 public:
  Rsi(BarField field, int period, int history)
      : IndicatorBase(history), field_(field), period_(period) {}

  void update(const Bar& bar) override {
    double x = field_of(bar, field_);
    if (!have_prev_) {
      prev_ = x;
      have_prev_ = true;
      publish_undefined();
      return;
    }
    double change = x - prev_;
    prev_ = x;
    if (seed_changes_ < period_) {
      if (change < 0.0)
        loss_ -= change;
      else
        gain_ += change;
      if (++seed_changes_ < period_) {
        publish_undefined();
        return;
      }
      loss_ /= period_;
      gain_ /= period_;
    } else {
      loss_ *= period_ - 1;
      gain_ *= period_ - 1;
      if (change < 0.0)
        loss_ -= change;
      else
        gain_ += change;
      loss_ /= period_;
      gain_ /= period_;
    }
    double total = gain_ + loss_;
    publish(talib_is_zero(total) ? 0.0 : 100.0 * (gain_ / total));
  }

 private:
  BarField field_;
  int period_;
  bool have_prev_ = false;
  int seed_changes_ = 0;  // changes summed into the seed averages so far
  double prev_ = 0.0;
  double gain_ = 0.0;
  double loss_ = 0.0;
};

// TA_MACD: both EMAs produce their first value on bar `slow` (the fast one is
// seeded from the `fast` values ending there), the signal is an EMA of the
// MACD line, and all three lines start together on bar slow + signal - 1.
class Macd final : public IndicatorBase<3> {
 public:
  Macd(BarField field, int fast, int slow, int signal, int history)
      : IndicatorBase(history),
        field_(field),
        fast_start_(std::max(fast, slow) - std::min(fast, slow)),
        fast_(std::min(fast, slow)),
        slow_(std::max(fast, slow)),
        signal_(signal) {}

  void update(const Bar& bar) override {
    double x = field_of(bar, field_);
    double fast = 0.0, slow = 0.0, signal = 0.0;
    bool have_fast = bars_ >= fast_start_ && fast_.step(x, fast);
    bool have_slow = slow_.step(x, slow);
    ++bars_;
    if (!(have_fast && have_slow)) {
      publish_undefined();
      return;
    }
    double line = fast - slow;
    if (!signal_.step(line, signal)) {
      publish_undefined();
      return;
    }
    publish(line, signal, line - signal);
  }

 private:
  BarField field_;
  int fast_start_;  // bar index from which the fast EMA is fed
  SeededEma fast_;
  SeededEma slow_;
  SeededEma signal_;
  long bars_ = 0;
};

// TA_ROC: ((x / x[period ago]) - 1) * 100, and 0 when the old value is 0.
class Roc final : public IndicatorBase<1> {
 public:
  Roc(BarField field, int period, int history)
      : IndicatorBase(history), field_(field), window_(period + 1) {}

  void update(const Bar& bar) override {
    double x = field_of(bar, field_);
    window_.push(x);
    if (!window_.full()) {
      publish_undefined();
      return;
    }
    double old = window_.oldest();
    publish(old != 0.0 ? ((x / old) - 1.0) * 100.0 : 0.0);
  }

 private:
  BarField field_;
  RingBuffer window_;
};

// The highest high and lowest low of the last n bars: the window of TA_WILLR
// and TA_STOCH's fast %K.
class HighLowWindow {
 public:
  explicit HighLowWindow(int n) : highs_(n), lows_(n) {}
  // False until n bars have been seen.
  bool push(const Bar& bar, double& highest, double& lowest) {
    lowest = lows_.push(bar.low);
    highest = highs_.push(bar.high);
    return highs_.full();
  }

 private:
  WindowMax highs_;
  WindowMin lows_;
};

// TA_WILLR: (highest high - close) / ((highest high - lowest low) / -100).
class WilliamsR final : public IndicatorBase<1> {
 public:
  WilliamsR(int period, int history) : IndicatorBase(history), window_(period) {}

  void update(const Bar& bar) override {
    double highest, lowest;
    if (!window_.push(bar, highest, lowest)) {
      publish_undefined();
      return;
    }
    double diff = (highest - lowest) / (-100.0);
    publish(diff != 0.0 ? (highest - bar.close) / diff : 0.0);
  }

 private:
  HighLowWindow window_;
};

// TA_STOCH with SMA smoothing: fast %K over `fastk` bars, slow %K its
// `slowk`-bar average, slow %D the `slowd`-bar average of slow %K.
class SlowStochastic final : public IndicatorBase<2> {
 public:
  SlowStochastic(int fastk, int slowk, int slowd, int history)
      : IndicatorBase(history), window_(fastk), slow_k_(slowk), slow_d_(slowd) {}

  void update(const Bar& bar) override {
    double highest, lowest;
    if (!window_.push(bar, highest, lowest)) {
      publish_undefined();
      return;
    }
    double diff = (highest - lowest) / 100.0;
    double fast_k = diff != 0.0 ? (bar.close - lowest) / diff : 0.0;
    double k, d;
    if (slow_k_.step(fast_k, k) && slow_d_.step(k, d))
      publish(k, d);
    else
      publish_undefined();
  }

 private:
  HighLowWindow window_;
  RunningSma slow_k_;
  RunningSma slow_d_;
};

// TA_CCI: typical price against its mean and mean absolute deviation over the
// window. Sums run over TA-Lib's circular buffer in slot order.
class Cci final : public IndicatorBase<1> {
 public:
  Cci(int period, int history) : IndicatorBase(history), period_(period), typical_(period) {}

  void update(const Bar& bar) override {
    double last = (bar.high + bar.low + bar.close) / 3;
    typical_.push(last);
    if (!typical_.full()) {
      publish_undefined();
      return;
    }
    double average = 0;
    for (int j = 0; j < period_; ++j) average += typical_.slot(j);
    average /= period_;
    double deviation = 0;
    for (int j = 0; j < period_; ++j) deviation += std::fabs(typical_.slot(j) - average);
    double distance = last - average;
    publish((distance != 0.0 && deviation != 0.0) ? distance / (0.015 * (deviation / period_))
                                                  : 0.0);
  }

 private:
  int period_;
  RingBuffer typical_;
};

}  // namespace

std::unique_ptr<Indicator> make_rsi(BarField field, int period, int history) {
  return std::make_unique<Rsi>(field, period, history);
}
std::unique_ptr<Indicator> make_macd(BarField field, int fast, int slow, int signal, int history) {
  return std::make_unique<Macd>(field, fast, slow, signal, history);
}
std::unique_ptr<Indicator> make_roc(BarField field, int period, int history) {
  return std::make_unique<Roc>(field, period, history);
}
std::unique_ptr<Indicator> make_willr(int period, int history) {
  return std::make_unique<WilliamsR>(period, history);
}
std::unique_ptr<Indicator> make_stoch(int fastk, int slowk, int slowd, int history) {
  return std::make_unique<SlowStochastic>(fastk, slowk, slowd, history);
}
std::unique_ptr<Indicator> make_cci(int period, int history) {
  return std::make_unique<Cci>(period, history);
}

}  // namespace qtrader::indicators
