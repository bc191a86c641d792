// The one slack for comparing share quantities, shared by execution and the
// portfolio so that both agree on when a position is flat and an order done.
#pragma once

namespace qtrader {

// Fractional fills and split ratios leave last-bit residues (a few ulps of the
// quantity): they must count neither as a position nor as an order remainder.
// 1e-9 covers the ulps of quantities up to about 1e7 shares and stays far
// below any real fractional share; a smaller slack (the portfolio once used
// 1e-12) would keep a residue as a phantom position that execution already
// treats as filled.
inline constexpr double kQtyEps = 1e-9;

}  // namespace qtrader
