#include "execution/slippage.hpp"

#include <cmath>

namespace qtrader {

SlippageModel::SlippageModel(const SlippageConfig& c) : model_(c.model), config_(c) {}

double SlippageModel::apply(Side side, double price, double quantity, const Bar& bar,
                            double limit) const {
  if (model_ == Model::None) return price;
  double slip = 0.0;
  switch (model_) {
    case Model::FixedBps:
      slip = price * (config_.bps / 10000.0);
      break;
    case Model::FixedAmount:
      slip = config_.amount;
      break;
    case Model::VolumeShare: {
      const double share = bar.volume > 0 ? std::min(1.0, quantity / bar.volume) : 1.0;
      slip = price * config_.price_impact * share * share;
      break;
    }
    case Model::None:
      break;
  }
  double p = side == Side::Buy ? price + slip : price - slip;
  p = std::clamp(p, bar.low, bar.high);
  if (std::isfinite(limit)) p = side == Side::Buy ? std::min(p, limit) : std::max(p, limit);
  return p;
}

}  // namespace qtrader
