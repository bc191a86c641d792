// Commission models. Percentage: |quantity| * rate * price, in that operation
// order (backtrader's CommInfo), charged at the fill.
#pragma once

#include <cmath>

#include "qtrader/config.hpp"

namespace qtrader {

class CommissionModel {
 public:
  explicit CommissionModel(const CommissionConfig& c) : rate_(c.rate) {}
  double operator()(double quantity, double price) const { return std::fabs(quantity) * rate_ * price; }

 private:
  double rate_;
};

}  // namespace qtrader
