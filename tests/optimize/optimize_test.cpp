// Portfolio optimisation (engine/src/optimize): closed forms, and an
// independent numpy computation kept as a fixture
// (tests/fixtures/optimize/make_fixtures.py -> cases.json).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "optimize/portfolio_optimizer.hpp"

using namespace qtrader::optimize;

namespace {

Covariance cov_of(std::vector<std::vector<double>> rows) {
  Covariance c;
  c.n = rows.size();
  for (const auto& r : rows) c.values.insert(c.values.end(), r.begin(), r.end());
  return c;
}

Covariance two_assets(double s1, double s2, double rho) {
  return cov_of({{s1 * s1, rho * s1 * s2}, {rho * s1 * s2, s2 * s2}});
}

const nlohmann::json& cases() {
  static const nlohmann::json j = [] {
    std::ifstream in(std::string(QTRADER_FIXTURES_DIR) + "/optimize/cases.json");
    return nlohmann::json::parse(in);
  }();
  return j;
}

ReturnTable fixture_returns() {
  ReturnTable r;
  for (const auto& row : cases().at("returns")) {
    for (double v : row) r.values.push_back(v);
    r.assets = row.size();
    ++r.periods;
  }
  return r;
}

void check_vector(const std::vector<double>& got, const nlohmann::json& want, double tol) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("index " << i);
    CHECK(got[i] == Approx(want[i].get<double>()).margin(tol).epsilon(0));
  }
}

void check_matrix(const Covariance& got, const nlohmann::json& want, double rel) {
  REQUIRE(got.n == want.size());
  for (std::size_t i = 0; i < got.n; ++i)
    for (std::size_t j = 0; j < got.n; ++j) CHECK(got.at(i, j) == Approx(want[i][j].get<double>()).epsilon(rel));
}

}  // namespace

TEST_CASE("Two-asset minimum variance matches the closed form") {
  for (const double rho : {-0.5, 0.0, 0.3, 0.6}) {
    const double s1 = 0.2, s2 = 0.3;
    const double w1 = (s2 * s2 - rho * s1 * s2) / (s1 * s1 + s2 * s2 - 2 * rho * s1 * s2);
    const Solution sol = min_variance(two_assets(s1, s2, rho));
    INFO("rho " << rho);
    CHECK(sol.weights[0] == Approx(w1).margin(1e-12).epsilon(0));
    CHECK(sol.weights[1] == Approx(1 - w1).margin(1e-12).epsilon(0));
  }
  // rho 0.8: w1 = 0.042/0.034 > 1 unbounded; long-only holds asset 1 only.
  CHECK(min_variance(two_assets(0.2, 0.3, 0.8)).weights[0] == Approx(1.0).margin(1e-12));
  // An upper bound of 0.6 binds.
  const Solution capped = min_variance(two_assets(0.2, 0.3, 0.0), Bounds{0.0, 0.6});
  CHECK(capped.weights[0] == Approx(0.6).margin(1e-12));
  CHECK(capped.weights[1] == Approx(0.4).margin(1e-12));
}

TEST_CASE("Equal-correlation equal-variance covariances give equal weights") {
  const double v = 0.04, rho = 0.35;
  std::vector<std::vector<double>> rows(4, std::vector<double>(4, rho * v));
  for (int i = 0; i < 4; ++i) rows[i][i] = v;
  const Covariance c = cov_of(rows);
  for (const auto& w : {min_variance(c).weights, risk_parity(c).weights, max_diversification(c).weights,
                        mean_variance(c, {0.01, 0.01, 0.01, 0.01}, 2.0).weights})
    for (double x : w) CHECK(x == Approx(0.25).margin(1e-12));
}

TEST_CASE("Risk parity of a diagonal covariance is proportional to one over sigma") {
  const double s[] = {0.1, 0.2, 0.4};
  const Covariance c = cov_of({{0.01, 0, 0}, {0, 0.04, 0}, {0, 0, 0.16}});
  const double total = 1 / s[0] + 1 / s[1] + 1 / s[2];
  const Solution sol = risk_parity(c);
  for (int i = 0; i < 3; ++i) CHECK(sol.weights[i] == Approx((1 / s[i]) / total).margin(1e-12));
  // Without correlation, maximum diversification is the same portfolio.
  const Solution md = max_diversification(c);
  for (int i = 0; i < 3; ++i) CHECK(md.weights[i] == Approx((1 / s[i]) / total).margin(1e-12));
}

TEST_CASE("Covariance estimates match numpy") {
  const ReturnTable r = fixture_returns();
  check_matrix(sample_covariance(r), cases().at("sample_covariance"), 1e-12);
  const Covariance lw = ledoit_wolf(r);
  check_matrix(lw, cases().at("ledoit_wolf"), 1e-12);
  CHECK(lw.shrinkage == Approx(cases().at("ledoit_wolf_shrinkage").get<double>()).epsilon(1e-12));
}

TEST_CASE("The optimizers match an independent numpy computation") {
  const ReturnTable r = fixture_returns();
  const Covariance s = sample_covariance(r);
  check_vector(min_variance(s).weights, cases().at("min_variance"), 1e-9);
  check_vector(min_variance(s, Bounds{0.05, 0.3}).weights, cases().at("min_variance_bounded"), 1e-9);
  check_vector(min_variance(ledoit_wolf(r)).weights, cases().at("min_variance_ledoit_wolf"), 1e-9);
  check_vector(mean_variance(s, mean_returns(r), cases().at("mean_variance_risk_aversion").get<double>(),
                             Bounds{0.0, 0.6})
                   .weights,
               cases().at("mean_variance"), 1e-9);
  check_vector(risk_parity(s).weights, cases().at("risk_parity"), 1e-6);
  check_vector(max_diversification(s).weights, cases().at("max_diversification"), 1e-6);
}

TEST_CASE("Impossible bounds and degenerate covariances are refused") {
  const Covariance c = two_assets(0.2, 0.3, 0.0);
  CHECK_THROWS_WITH(min_variance(c, Bounds{0.0, 0.4}), "bounds {0, 0.4} cannot hold 2 weights summing to 1");
  CHECK_THROWS_WITH(min_variance(cov_of({{0.0, 0.0}, {0.0, 0.04}})),
                    "an asset has no variance (a constant price?)");
  CHECK_THROWS_WITH(mean_variance(c, {0.1, 0.1}, 0.0), "risk_aversion must be a positive number");
}
