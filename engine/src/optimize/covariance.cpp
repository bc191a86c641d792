// Covariance estimates over a table of returns (portfolio_optimizer.hpp).
#include <Eigen/Dense>

#include <stdexcept>

#include "optimize/eigen_support.hpp"
#include "optimize/portfolio_optimizer.hpp"

namespace qtrader::optimize {

namespace {

Eigen::MatrixXd centered(const ReturnTable& r) {
  if (r.periods < 2 || r.assets == 0 || r.values.size() != r.periods * r.assets)
    throw std::invalid_argument("a covariance needs at least 2 periods of returns");
  Eigen::MatrixXd x = Eigen::Map<const RowMatrix>(r.values.data(), static_cast<Eigen::Index>(r.periods),
                                                  static_cast<Eigen::Index>(r.assets));
  if (!x.allFinite()) throw std::invalid_argument("the returns hold a non-finite value");
  x.rowwise() -= x.colwise().mean();
  return x;
}

}  // namespace

std::vector<double> mean_returns(const ReturnTable& r) {
  std::vector<double> mu(r.assets, 0.0);
  for (std::size_t t = 0; t < r.periods; ++t)
    for (std::size_t i = 0; i < r.assets; ++i) mu[i] += r.at(t, i);
  for (double& m : mu) m /= static_cast<double>(r.periods);
  return mu;
}

Covariance sample_covariance(const ReturnTable& r) {
  const Eigen::MatrixXd x = centered(r);
  const Eigen::MatrixXd s = (x.transpose() * x) / static_cast<double>(r.periods - 1);
  return to_covariance(s, 0.0);
}

Covariance ledoit_wolf(const ReturnTable& r) {
  const Eigen::MatrixXd x = centered(r);
  const double n = static_cast<double>(r.periods), p = static_cast<double>(r.assets);
  const Eigen::MatrixXd emp = (x.transpose() * x) / n;
  const double mu = emp.trace() / p;
  const Eigen::MatrixXd x2 = x.array().square().matrix();
  // beta: how noisy the sample covariance is; delta: how far it is from μI.
  const double beta_sum = (x2.transpose() * x2).sum();
  const double delta_sum = (x.transpose() * x).array().square().sum() / (n * n);
  double beta = (beta_sum / n - delta_sum) / (p * n);
  double delta = (delta_sum - 2.0 * mu * emp.trace() + p * mu * mu) / p;
  beta = std::min(beta, delta);
  const double shrinkage = beta == 0.0 ? 0.0 : beta / delta;
  Eigen::MatrixXd shrunk = (1.0 - shrinkage) * emp;
  shrunk.diagonal().array() += shrinkage * mu;
  return to_covariance(shrunk, shrinkage);
}

}  // namespace qtrader::optimize
