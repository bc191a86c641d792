// Trend strength: ADX, following TA-Lib 0.4's TA_ADX step for step (without
// Wilder's integer rounding, which TA-Lib disables).
#include <cmath>

#include "indicators/families.hpp"
#include "indicators/indicator_base.hpp"
#include "indicators/talib_averages.hpp"

namespace qtrader::indicators {
namespace {

// Bars 2..period sum the one-bar +DM, -DM and true range; bars period+1..2*period
// smooth them the Wilder way and sum the DX; the first ADX (bar 2*period) is the
// average DX, later ones are Wilder-smoothed.
class Adx final : public IndicatorBase<1> {
 public:
  Adx(int period, int history) : IndicatorBase(history), period_(period) {}

  void update(const Bar& bar) override {
    if (bars_ == 0) {
      prev_high_ = bar.high;
      prev_low_ = bar.low;
      prev_close_ = bar.close;
      ++bars_;
      publish_undefined();
      return;
    }
    double diff_plus = bar.high - prev_high_;
    prev_high_ = bar.high;
    double diff_minus = prev_low_ - bar.low;
    prev_low_ = bar.low;
    double range = true_range(prev_high_, prev_low_, prev_close_);
    prev_close_ = bar.close;

    bool summing = bars_ < period_;  // the first period - 1 one-bar moves are summed
    if (!summing) {
      minus_dm_ -= minus_dm_ / period_;
      plus_dm_ -= plus_dm_ / period_;
    }
    if (diff_minus > 0 && diff_plus < diff_minus)
      minus_dm_ += diff_minus;
    else if (diff_plus > 0 && diff_plus > diff_minus)
      plus_dm_ += diff_plus;
    if (summing) {
      tr_ += range;
      ++bars_;
      publish_undefined();
      return;
    }
    tr_ = tr_ - tr_ / period_ + range;

    bool have_dx = false;
    double dx = 0.0;
    if (!talib_is_zero(tr_)) {
      double minus_di = 100.0 * (minus_dm_ / tr_);
      double plus_di = 100.0 * (plus_dm_ / tr_);
      double di_sum = minus_di + plus_di;
      if (!talib_is_zero(di_sum)) {
        dx = 100.0 * (std::fabs(minus_di - plus_di) / di_sum);
        have_dx = true;
      }
    }

    if (bars_ < 2 * period_) {  // accumulating the first period DX values
      if (have_dx) sum_dx_ += dx;
      if (++bars_ < 2 * period_) {
        publish_undefined();
        return;
      }
      adx_ = sum_dx_ / period_;
    } else if (have_dx) {
      adx_ = (adx_ * (period_ - 1) + dx) / period_;
    }
    publish(adx_);
  }

 private:
  int period_;
  int bars_ = 0;  // bars seen, counted up to 2 * period
  double prev_high_ = 0.0;
  double prev_low_ = 0.0;
  double prev_close_ = 0.0;
  double plus_dm_ = 0.0;
  double minus_dm_ = 0.0;
  double tr_ = 0.0;
  double sum_dx_ = 0.0;
  double adx_ = 0.0;
};

}  // namespace

std::unique_ptr<Indicator> make_adx(int period, int history) {
  return std::make_unique<Adx>(period, history);
}

}  // namespace qtrader::indicators
