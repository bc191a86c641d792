// The quadratic program behind min_variance and mean_variance (this folder only):
//   minimize ½ w'Qw + c'w   subject to   Σw = 1,  lower <= w <= upper
#pragma once

#include <Eigen/Dense>

#include "optimize/portfolio_optimizer.hpp"

namespace qtrader::optimize {

// Primal active-set method (Nocedal & Wright, Numerical Optimization, 16.3):
// from the equal weights, each step solves the equality-constrained problem
// on the assets not held at a bound, walks towards it until a bound blocks,
// and releases a bound whose multiplier has the wrong sign. Q must be
// positive definite. `iterations` gets the number of steps.
Eigen::VectorXd solve_box_qp(const Eigen::MatrixXd& q, const Eigen::VectorXd& c, Bounds bounds, int& iterations);

}  // namespace qtrader::optimize
