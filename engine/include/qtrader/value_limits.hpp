// The largest price and order quantity the engine accepts.
#pragma once

namespace qtrader {

// From a data file, a script or a risk policy alike. They keep every product
// and sum finite: a notional is at most 1e12 × 1e15 = 1e27, and no run adds up
// 10^281 of them. A value beyond either is refused where it enters, with a
// message, never carried on to an infinite cash or a NaN equity.
inline constexpr double kMaxPrice = 1e12;
inline constexpr double kMaxQuantity = 1e15;

}  // namespace qtrader
