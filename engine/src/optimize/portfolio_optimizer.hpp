// Portfolio weights from a covariance (docs/lua-api.md "ctx:optimize"): the
// math behind ctx:optimize, with no Lua and no Eigen in its interface (Eigen
// is this folder's private dependency). Matrices are row-major, n x n.
//
//   min_variance         min w'Σw                      s.t. Σw = 1, lower <= w <= upper
//   mean_variance        max μ'w − (λ/2) w'Σw          s.t. the same
//   risk_parity          every asset's risk contribution w_i (Σw)_i equal, w > 0, Σw = 1
//   max_diversification  max (w'σ) / sqrt(w'Σw)        s.t. Σw = 1, w >= 0
//
// The two quadratic programs are solved exactly (up to rounding) by a primal
// active-set method on the bound constraints; risk parity by cyclical
// coordinate descent (Griveau-Billion, Richard, Roncalli 2013) on Spinu's
// convex formulation; maximum diversification as the minimum variance of the
// correlation matrix, rescaled by the volatilities (Choueifaty & Coignard).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace qtrader::optimize {

// T periods x n assets of returns, row-major, oldest first.
struct ReturnTable {
  std::size_t periods = 0, assets = 0;
  std::vector<double> values;
  double at(std::size_t t, std::size_t i) const { return values[t * assets + i]; }
};

struct Covariance {
  std::size_t n = 0;
  std::vector<double> values;  // n x n, row-major
  double shrinkage = 0.0;      // Ledoit–Wolf's intensity; 0 for the sample estimate
  double at(std::size_t i, std::size_t j) const { return values[i * n + j]; }
};

// The unbiased sample covariance (divides by T − 1). Needs T >= 2.
Covariance sample_covariance(const ReturnTable& r);
// Ledoit & Wolf (2004, "A well-conditioned estimator for large-dimensional
// covariance matrices"): the maximum-likelihood covariance (divides by T)
// shrunk towards the scaled identity μI, μ = its mean variance, with the
// optimal intensity (scikit-learn's ledoit_wolf, assume_centered=False).
Covariance ledoit_wolf(const ReturnTable& r);
// The mean return of each asset.
std::vector<double> mean_returns(const ReturnTable& r);

struct Bounds {
  double lower = 0.0, upper = 1.0;
};

struct Solution {
  std::vector<double> weights;
  int iterations = 0;
};

// Each throws std::invalid_argument for inputs it cannot solve (bounds that
// cannot sum to 1, a non-finite covariance, a non-positive variance).
Solution min_variance(const Covariance& cov, Bounds bounds = {});
Solution mean_variance(const Covariance& cov, const std::vector<double>& expected, double risk_aversion,
                       Bounds bounds = {});
Solution risk_parity(const Covariance& cov);
Solution max_diversification(const Covariance& cov);

}  // namespace qtrader::optimize
