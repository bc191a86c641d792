// Highest and lowest value of a bar field over a window (TA-Lib's MAX and MIN).
#include "indicators/families.hpp"
#include "indicators/indicator_base.hpp"
#include "indicators/window_extreme.hpp"

namespace qtrader::indicators {
namespace {

template <class Window>
class Extreme final : public IndicatorBase<1> {
 public:
  Extreme(BarField field, int period, int history)
      : IndicatorBase(history), field_(field), window_(period) {}

  void update(const Bar& bar) override {
    double extreme = window_.push(field_of(bar, field_));
    if (window_.full())
      publish(extreme);
    else
      publish_undefined();
  }

 private:
  BarField field_;
  Window window_;
};

}  // namespace

std::unique_ptr<Indicator> make_highest(BarField field, int period, int history) {
  return std::make_unique<Extreme<WindowMax>>(field, period, history);
}
std::unique_ptr<Indicator> make_lowest(BarField field, int period, int history) {
  return std::make_unique<Extreme<WindowMin>>(field, period, history);
}

}  // namespace qtrader::indicators
