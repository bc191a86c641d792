// Market impact (docs/execution.md "Market impact"): hand-computed fills of
// the square-root and linear models, the permanent part moving the bar's
// later fills, the bar's range, and the calibration helper recovering the
// coefficient a run was made with.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "exec_harness.hpp"
#include "execution/market_impact.hpp"

using namespace qtrader;
using test::bar;
using test::Harness;

namespace {

ExecutionConfig impact_config(ImpactKind model, double coefficient, double permanent = 0.0) {
  ExecutionConfig ec = Harness::zero_commission();
  ec.impact.model = model;
  ec.impact.coefficient = coefficient;
  ec.impact.volatility_window = 3;
  ec.impact.adv_window = 3;
  ec.impact.permanent_fraction = permanent;
  return ec;
}

// Closes 100, 101, 103.02, 106.1106: returns 1 %, 2 %, 3 % (sigma 0.01), volume 1000 a bar.
const double kCloses[] = {100, 101, 103.02, 106.1106};

void history(Harness& h) {
  for (int d = 1; d <= 4; ++d) h.publish(bar(d, kCloses[d - 1], kCloses[d - 1], kCloses[d - 1], kCloses[d - 1], 1000));
}

// The sample standard deviation of the returns of `c`, written out.
double sigma_of(std::vector<double> c) {
  std::vector<double> r;
  for (std::size_t i = 1; i < c.size(); ++i) r.push_back(c[i] / c[i - 1] - 1.0);
  double mean = 0;
  for (double x : r) mean += x;
  mean /= static_cast<double>(r.size());
  double ss = 0;
  for (double x : r) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(r.size() - 1));
}

}  // namespace

TEST_CASE("Square-root impact with a permanent part moves the bar's later fills") {
  Harness h(1e6, impact_config(ImpactKind::Sqrt, 1.0, 0.4));
  history(h);
  h.submit(4, {Side::Buy, 250});
  h.submit(4, {Side::Buy, 250});
  h.publish(bar(5, 100, 110, 90, 100, 1000));
  REQUIRE(h.fills.size() == 2);
  const double sigma = sigma_of({100, 101, 103.02, 106.1106});
  CHECK(sigma == Approx(0.01).epsilon(1e-12));
  // I = 1 * sigma * sqrt(250 / 1000) * 100 = 0.5; permanent 0.4 * I = 0.2.
  const double first = 100 + 100 * sigma * 0.5;
  const double shift = 0.4 * 100 * sigma * 0.5;
  const double second = (100 + shift) + (100 + shift) * sigma * 0.5;
  CHECK(h.fills[0].price == Approx(first).epsilon(1e-15));
  CHECK(h.fills[1].price == Approx(second).epsilon(1e-15));
  CHECK(h.fills[0].price == Approx(100.5).epsilon(1e-12));
  CHECK(h.fills[1].price == Approx(100.701).epsilon(1e-12));

  // The next bar starts from its own open again; sigma now of days 2..5, ADV of days 3..5.
  h.submit(5, {Side::Sell, 250});
  h.publish(bar(6, 100, 110, 90, 100, 1000));
  REQUIRE(h.fills.size() == 3);
  const double sigma6 = sigma_of({101, 103.02, 106.1106, 100});
  CHECK(h.fills[2].price == Approx(100 - 100 * sigma6 * 0.5).epsilon(1e-15));
}

TEST_CASE("Linear impact is proportional to participation and kept in the bar's range") {
  Harness h(1e7, impact_config(ImpactKind::Linear, 2.0));
  history(h);
  h.submit(4, {Side::Sell, 500});  // 2 * sigma * 0.5 * 100 = 1.0 below the open
  h.publish(bar(5, 100, 110, 90, 100, 1000));
  REQUIRE(h.fills.size() == 1);
  const double sigma = sigma_of({100, 101, 103.02, 106.1106});
  CHECK(h.fills[0].price == Approx(100 - 2 * sigma * 0.5 * 100).epsilon(1e-15));
  CHECK(h.fills[0].price == Approx(99.0).epsilon(1e-12));
  // 20 000 shares: 2 * sigma * (20000 / ADV) * 100 = 40, past the low of 90.
  h.submit(5, {Side::Sell, 20000});
  h.publish(bar(6, 100, 101, 95, 100, 1000));
  REQUIRE(h.fills.size() == 2);
  CHECK(h.fills[1].price == 95.0);
}

TEST_CASE("No impact until the windows are full") {
  Harness h(1e6, impact_config(ImpactKind::Sqrt, 1.0));
  h.publish(bar(1, 100, 100, 100, 100, 1000));
  h.publish(bar(2, 101, 101, 101, 101, 1000));
  h.submit(2, {Side::Buy, 250});
  h.publish(bar(3, 100, 110, 90, 100, 1000));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 100.0);
}

TEST_CASE("Calibration recovers the coefficient a run was made with") {
  // Fills of various sizes over 12 bars of moving prices, coefficient 0.7.
  Harness h(1e9, impact_config(ImpactKind::Sqrt, 0.7));
  std::vector<Bar> bars;
  double close = 100;
  for (int d = 1; d <= 12; ++d) {
    close *= 1.0 + 0.01 * ((d * 7) % 5 - 2);
    const Bar b = bar(d, close * 0.995, close * 1.2, close * 0.8, close, 1000.0 + 100.0 * (d % 3));
    bars.push_back(b);
    h.publish(b);
    h.submit(d, {d % 2 ? Side::Buy : Side::Sell, 50.0 * d});
  }
  ImpactConfig c = impact_config(ImpactKind::Sqrt, 0.0).impact;
  const ImpactFit fit = calibrate_impact(bars, h.fills, c);
  CHECK(fit.observations == h.fills.size() - 3);  // the first three fills (days 2..4) lack full windows
  CHECK(fit.coefficient == Approx(0.7).epsilon(1e-12));
  CHECK(fit.r_squared == Approx(1.0).epsilon(1e-12));
  c.model = ImpactKind::Linear;  // the wrong model fits worse
  CHECK(calibrate_impact(bars, h.fills, c).r_squared < 0.99);
}
