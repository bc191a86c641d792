// Commission models, charged at each fill.
//
//   percentage  |quantity| * rate * price, in that operation order (backtrader's
//               CommInfo), per fill.
//   per_share   |quantity| * rate per order, at least `minimum` and at most
//               `maximum` (when > 0) per order.
//   fixed       `amount` per order, charged with its first fill.
//   tiered      per-share rate chosen by the shares traded so far this calendar
//               month (before the fill), with per-order minimum and maximum.
//
// Per-order limits span partial fills: a fill pays what brings the order's
// total to the model's figure for its filled quantity so far, so an order
// filled in three parts pays the minimum once, not three times.
#pragma once

#include <utility>

#include <cmath>

#include "qtrader/config.hpp"

namespace qtrader {

// What one order has been charged so far (its fills add to it).
struct OrderCommission {
  double filled = 0.0;   // quantity
  double charged = 0.0;  // commission actually charged
  double raw = 0.0;      // per_share/tiered: shares * rate before the order's minimum and maximum
};

class CommissionModel {
 public:
  explicit CommissionModel(const CommissionConfig& c);

  // The commission of a whole order of |quantity| at `price` at the current
  // monthly volume: used by risk sizing and acceptance checks.
  double operator()(double quantity, double price) const {
    OrderCommission fresh;
    return fill_fee(fresh, std::fabs(quantity), price);
  }
  // The commission of one fill of `quantity` at `price` of an order charged
  // `so_far`, which it updates.
  double fill_fee(OrderCommission& so_far, double quantity, double price) const;
  // Starts a new month's volume when `ts` is in another calendar month than
  // the last fill: called before a fill's fee is computed.
  void roll_month(Timestamp ts);
  // Adds a fill to the month's traded shares (tiered).
  void record_fill(Timestamp ts, double quantity) {
    roll_month(ts);
    month_volume_ += std::fabs(quantity);
  }

  // Shares traded so far in the current month.
  double monthly_volume() const noexcept { return month_volume_; }
  // Checkpoints: the month and its volume, and back.
  std::pair<int, double> month_state() const noexcept { return {month_key_, month_volume_}; }
  void set_month_state(int key, double volume) noexcept {
    month_key_ = key;
    month_volume_ = volume;
  }

 private:
  using Model = CommissionKind;
  double tier_rate() const;
  double clamp_order_total(double total) const;

  Model model_;
  CommissionConfig config_;
  int month_key_ = -1;  // year * 12 + month of the last recorded fill
  double month_volume_ = 0.0;
};

}  // namespace qtrader
