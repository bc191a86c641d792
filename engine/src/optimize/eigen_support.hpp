// Between the optimizer's plain vectors and Eigen's matrices (this folder only).
#pragma once

#include <Eigen/Dense>

#include <stdexcept>

#include "optimize/portfolio_optimizer.hpp"

namespace qtrader::optimize {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

inline Covariance to_covariance(const Eigen::MatrixXd& m, double shrinkage) {
  Covariance c;
  c.n = static_cast<std::size_t>(m.rows());
  c.values.resize(c.n * c.n);
  Eigen::Map<RowMatrix>(c.values.data(), m.rows(), m.cols()) = m;
  c.shrinkage = shrinkage;
  return c;
}

inline Eigen::MatrixXd to_matrix(const Covariance& c) {
  if (c.n == 0 || c.values.size() != c.n * c.n) throw std::invalid_argument("the covariance is empty or not square");
  Eigen::MatrixXd m = Eigen::Map<const RowMatrix>(c.values.data(), static_cast<Eigen::Index>(c.n),
                                                  static_cast<Eigen::Index>(c.n));
  if (!m.allFinite()) throw std::invalid_argument("the covariance holds a non-finite value");
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    if (!(m(i, i) > 0.0)) throw std::invalid_argument("an asset has no variance (a constant price?)");
  return m;
}

inline std::vector<double> to_vector(const Eigen::VectorXd& v) { return {v.data(), v.data() + v.size()}; }

}  // namespace qtrader::optimize
