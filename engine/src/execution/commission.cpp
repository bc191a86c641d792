#include "execution/commission.hpp"

#include <algorithm>

#include <date/date.h>

namespace qtrader {

CommissionModel::CommissionModel(const CommissionConfig& c) : model_(c.model), config_(c) {}

double CommissionModel::tier_rate() const {
  for (const auto& t : config_.tiers)
    if (t.up_to <= 0.0 || month_volume_ < t.up_to) return t.rate;
  return config_.tiers.empty() ? 0.0 : config_.tiers.back().rate;
}

double CommissionModel::clamp_order_total(double total) const {
  total = std::max(total, config_.minimum);
  if (config_.maximum > 0.0) total = std::min(total, config_.maximum);
  return total;
}

double CommissionModel::fill_fee(OrderCommission& c, double quantity, double price) const {
  quantity = std::fabs(quantity);
  double fee = 0.0;
  switch (model_) {
    case Model::Percentage:
      fee = quantity * config_.rate * price;
      break;
    case Model::Fixed:
      fee = c.filled > 0.0 ? 0.0 : config_.amount;
      break;
    case Model::PerShare:
    case Model::Tiered: {
      c.raw += quantity * (model_ == Model::PerShare ? config_.rate : tier_rate());
      fee = std::max(0.0, clamp_order_total(c.raw) - c.charged);
      break;
    }
  }
  c.filled += quantity;
  c.charged += fee;
  return fee;
}

void CommissionModel::roll_month(Timestamp ts) {
  const auto day = date::sys_days(date::floor<date::days>(
      date::sys_time<std::chrono::nanoseconds>(std::chrono::nanoseconds(ts))));
  const date::year_month_day ymd(day);
  const int key = static_cast<int>(ymd.year()) * 12 + static_cast<int>(unsigned(ymd.month())) - 1;
  if (key != month_key_) {
    month_key_ = key;
    month_volume_ = 0.0;
  }
}

}  // namespace qtrader
