#include "optimize/box_qp.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace qtrader::optimize {

namespace {
enum class Hold : unsigned char { Free, Lower, Upper };
}

Eigen::VectorXd solve_box_qp(const Eigen::MatrixXd& q, const Eigen::VectorXd& c, Bounds b, int& iterations) {
  const Eigen::Index n = q.rows();
  const double dn = static_cast<double>(n);
  if (!(b.lower <= b.upper) || b.lower * dn > 1.0 + 1e-12 || b.upper * dn < 1.0 - 1e-12)
    throw std::invalid_argument(fmt::format("bounds {{{}, {}}} cannot hold {} weights summing to 1", b.lower,
                                            b.upper, n));
  // The equal weights lie inside any bounds that admit a solution.
  Eigen::VectorXd w = Eigen::VectorXd::Constant(n, 1.0 / dn);
  std::vector<Hold> hold(static_cast<std::size_t>(n), Hold::Free);
  const double scale = 1.0 + q.cwiseAbs().maxCoeff() + c.cwiseAbs().maxCoeff();
  const int max_steps = 50 * static_cast<int>(n) + 100;
  for (iterations = 1; iterations <= max_steps; ++iterations) {
    std::vector<Eigen::Index> free;
    for (Eigen::Index i = 0; i < n; ++i)
      if (hold[static_cast<std::size_t>(i)] == Hold::Free) free.push_back(i);
    const Eigen::VectorXd g = q * w + c;
    const auto m = static_cast<Eigen::Index>(free.size());
    // KKT of the step p on the free assets: Q_FF p - ν1 = -g_F, 1'p = 0.
    Eigen::VectorXd p = Eigen::VectorXd::Zero(n);
    double nu = 0.0;
    if (m > 0) {
      Eigen::MatrixXd k = Eigen::MatrixXd::Zero(m + 1, m + 1);
      Eigen::VectorXd rhs(m + 1);
      for (Eigen::Index a = 0; a < m; ++a) {
        for (Eigen::Index bb = 0; bb < m; ++bb) k(a, bb) = q(free[a], free[bb]);
        k(a, m) = -1.0;
        k(m, a) = 1.0;
        rhs(a) = -g(free[a]);
      }
      rhs(m) = 0.0;
      const Eigen::VectorXd sol = k.fullPivLu().solve(rhs);
      for (Eigen::Index a = 0; a < m; ++a) p(free[a]) = sol(a);
      nu = sol(m);
    }
    if (p.cwiseAbs().maxCoeff() <= 1e-15 * (1.0 + w.cwiseAbs().maxCoeff())) {
      if (m == 0) nu = 0.0;
      // Optimal unless a held bound's multiplier says moving off it lowers the objective.
      Eigen::Index worst = -1;
      double worst_value = -1e-13 * scale;
      for (Eigen::Index i = 0; i < n; ++i) {
        const Hold h = hold[static_cast<std::size_t>(i)];
        if (h == Hold::Free) continue;
        const double multiplier = h == Hold::Lower ? g(i) - nu : nu - g(i);
        if (multiplier < worst_value) worst_value = multiplier, worst = i;
      }
      if (worst < 0) return w;
      hold[static_cast<std::size_t>(worst)] = Hold::Free;
      continue;
    }
    double step = 1.0;
    Eigen::Index blocking = -1;
    Hold blocked = Hold::Free;
    for (const Eigen::Index i : free) {
      if (p(i) < 0.0) {
        const double t = (b.lower - w(i)) / p(i);
        if (t < step) step = t, blocking = i, blocked = Hold::Lower;
      } else if (p(i) > 0.0) {
        const double t = (b.upper - w(i)) / p(i);
        if (t < step) step = t, blocking = i, blocked = Hold::Upper;
      }
    }
    w += std::max(step, 0.0) * p;
    if (blocking >= 0) {
      hold[static_cast<std::size_t>(blocking)] = blocked;
      w(blocking) = blocked == Hold::Lower ? b.lower : b.upper;
    }
  }
  throw std::invalid_argument("the optimizer did not converge (is the covariance positive definite?)");
}

}  // namespace qtrader::optimize
