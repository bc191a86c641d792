// The four methods of ctx:optimize over a covariance (portfolio_optimizer.hpp).
#include "optimize/portfolio_optimizer.hpp"

#include <cmath>
#include <stdexcept>

#include "optimize/box_qp.hpp"
#include "optimize/eigen_support.hpp"

namespace qtrader::optimize {

Solution min_variance(const Covariance& cov, Bounds bounds) {
  const Eigen::MatrixXd s = to_matrix(cov);
  Solution out;
  out.weights = to_vector(solve_box_qp(s, Eigen::VectorXd::Zero(s.rows()), bounds, out.iterations));
  return out;
}

Solution mean_variance(const Covariance& cov, const std::vector<double>& expected, double risk_aversion,
                       Bounds bounds) {
  const Eigen::MatrixXd s = to_matrix(cov);
  if (expected.size() != cov.n) throw std::invalid_argument("one expected return per asset is needed");
  if (!(risk_aversion > 0.0) || !std::isfinite(risk_aversion))
    throw std::invalid_argument("risk_aversion must be a positive number");
  // max μ'w − (λ/2) w'Σw  ==  min ½ w'(λΣ)w − μ'w
  const Eigen::VectorXd mu = Eigen::Map<const Eigen::VectorXd>(expected.data(), s.rows());
  if (!mu.allFinite()) throw std::invalid_argument("an expected return is not finite");
  Solution out;
  out.weights = to_vector(solve_box_qp(risk_aversion * s, -mu, bounds, out.iterations));
  return out;
}

Solution risk_parity(const Covariance& cov) {
  const Eigen::MatrixXd s = to_matrix(cov);
  const Eigen::Index n = s.rows();
  // Spinu: y minimises ½ y'Σy − (1/n) Σ ln y_i; its normalisation has equal
  // risk contributions. Each coordinate's minimiser is the positive root of
  // Σ_ii y_i² + (Σy)_{-i} y_i − 1/n = 0.
  const double budget = 1.0 / static_cast<double>(n);
  Eigen::VectorXd y = s.diagonal().cwiseSqrt().cwiseInverse();
  y /= y.sum();
  Solution out;
  for (out.iterations = 1; out.iterations <= 100000; ++out.iterations) {
    double change = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double others = s.row(i).dot(y) - s(i, i) * y(i);
      const double next = (-others + std::sqrt(others * others + 4.0 * s(i, i) * budget)) / (2.0 * s(i, i));
      change = std::max(change, std::fabs(next - y(i)) / next);
      y(i) = next;
    }
    if (change < 1e-15) break;
  }
  out.weights = to_vector(y / y.sum());
  return out;
}

Solution max_diversification(const Covariance& cov) {
  const Eigen::MatrixXd s = to_matrix(cov);
  // With x = diag(σ) y: min y'Σy s.t. σ'y = 1, y >= 0 becomes the minimum
  // variance of the correlation matrix; w ∝ x / σ.
  const Eigen::VectorXd sigma = s.diagonal().cwiseSqrt();
  const Eigen::MatrixXd corr = sigma.cwiseInverse().asDiagonal() * s * sigma.cwiseInverse().asDiagonal();
  Solution out;
  const Eigen::VectorXd x = solve_box_qp(corr, Eigen::VectorXd::Zero(s.rows()), Bounds{0.0, 1.0}, out.iterations);
  const Eigen::VectorXd w = x.cwiseQuotient(sigma);
  out.weights = to_vector(w / w.sum());
  return out;
}

}  // namespace qtrader::optimize
