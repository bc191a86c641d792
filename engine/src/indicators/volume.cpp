// On-balance volume (TA_OBV): starts at the first bar's volume, then adds the
// bar's volume when the price rose, subtracts it when it fell.
#include "indicators/families.hpp"
#include "indicators/indicator_base.hpp"

namespace qtrader::indicators {
namespace {

// Seeds itself on the first bar like Adx (trend.cpp) and other TA-Lib
// functions; each seeds different state, so the first-bar branch stays with
// each indicator.
class Obv final : public IndicatorBase<1> {
 public:
  Obv(BarField field, int history) : IndicatorBase(history), field_(field) {}

  void update(const Bar& bar) override {
    double price = field_of(bar, field_);
    if (!started_) {
      obv_ = bar.volume;
      started_ = true;
    } else if (price > prev_price_) {
      obv_ += bar.volume;
    } else if (price < prev_price_) {
      obv_ -= bar.volume;
    }
    prev_price_ = price;
    publish(obv_);
  }

 private:
  BarField field_;
  bool started_ = false;
  double prev_price_ = 0.0;
  double obv_ = 0.0;
};

}  // namespace

std::unique_ptr<Indicator> make_obv(BarField field, int history) {
  return std::make_unique<Obv>(field, history);
}

}  // namespace qtrader::indicators
