// Slippage models: move a fill's price against the order.
//
//   none          the bar's price as is
//   fixed_bps     price * (1 ± bps / 10000)
//   fixed_amount  price ± amount
//   volume_share  price * (1 ± price_impact * share²), share = fill quantity /
//                 bar volume (zipline's VolumeShareSlippage impact)
//
// "+" for buys, "-" for sells. The slipped price is then kept inside the bar's
// [low, high] (a fill cannot print outside the traded range; backtrader's
// slip_match) and, for limit fills, never beyond the limit price.
#pragma once

#include <algorithm>

#include "qtrader/config.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

class SlippageModel {
 public:
  explicit SlippageModel(const SlippageConfig& c);
  // `limit` is NaN for fills that have no price limit.
  double apply(Side side, double price, double quantity, const Bar& bar, double limit) const;

 private:
  using Model = SlippageKind;
  Model model_;
  SlippageConfig config_;
};

}  // namespace qtrader
