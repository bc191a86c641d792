// ExactSum against CPython's own math.fsum test cases (Lib/test/test_math.py),
// against exact integer arithmetic, and as a sliding window. Every expected
// value comes from outside ExactSum: CPython's math.fsum (literals below, with
// the script that made them) or 128-bit integers.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <random>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "qtrader/indicators.hpp"

using qtrader::ExactSum;

namespace {

// ExactSum of `values`, added in order (the value under test, not a reference).
double exact_sum(const std::vector<double>& values) {
  ExactSum s;
  for (double v : values) s.add(v);
  return s.value();
}

std::uint64_t bits_of(double x) {
  std::uint64_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

// Bitwise equality that also tells -0.0 from 0.0.
bool same_bits(double a, double b) { return a == b && std::signbit(a) == std::signbit(b); }

}  // namespace

TEST_CASE("ExactSum reproduces CPython's fsum test cases", "[indicators][exact_sum]") {
  const double two53 = std::ldexp(1.0, 53);
  CHECK(same_bits(exact_sum({}), 0.0));
  CHECK(same_bits(exact_sum({0.0}), 0.0));
  CHECK(exact_sum(std::vector<double>(10, 0.1)) == 1.0);
  CHECK(exact_sum({1e100, 1.0, -1e100}) == 1.0);
  CHECK(exact_sum({1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50}) == 1e-100);
  CHECK(exact_sum({two53, -0.5, -std::ldexp(1.0, -54)}) == two53 - 1.0);
  CHECK(exact_sum({two53, 1.0, std::ldexp(1.0, -100)}) == two53 + 2.0);
  CHECK(exact_sum({two53 + 10.0, 1.0, std::ldexp(1.0, -100)}) == two53 + 12.0);
  CHECK(exact_sum({two53 - 4.0, 0.5, std::ldexp(1.0, -54)}) == two53 - 3.0);
  // The half-way correction: 1e-16 tips 1e16 + 1 up to the next even double.
  CHECK(exact_sum({1e16, 1., 1e-16}) == 10000000000000002.0);
  CHECK(exact_sum({1e-16, 1., 1e16}) == 10000000000000002.0);
  const double one_less = 1. - std::ldexp(1.0, -53);
  CHECK(exact_sum({1e16 - 2., one_less, -(1e16 - 2.), -one_less}) == 0.0);

  std::vector<double> harmonic, alternating;
  for (int n = 1; n <= 1000; ++n) {
    harmonic.push_back(1. / n);
    alternating.push_back((n % 2 ? -1. : 1.) / n);
  }
  CHECK(exact_sum(harmonic) == 0x1.df11f45f4e61ap+2);
  CHECK(exact_sum(alternating) == -0x1.62a2af1bd3624p-1);

  // Many partials at once (CPython's test for growing the partials array).
  std::vector<double> wide;
  for (int n = -1074; n < 972; n += 2)
    wide.push_back(std::ldexp(1.0, n) - std::ldexp(1.0, n + 50) + std::ldexp(1.0, n + 52));
  wide.push_back(-std::ldexp(1.0, 1022));
  CHECK(exact_sum(wide) == 0x1.5555555555555p+970);
}

TEST_CASE("ExactSum is correctly rounded (checked with 128-bit integers)",
          "[indicators][exact_sum]") {
  // Values m * 2^-40 with |m| < 2^53 * 2^27 are exact doubles whose sum is an
  // exact __int128; converting that integer to double rounds correctly.
  std::mt19937_64 rng(20240611);
  std::uniform_int_distribution<int> bits(1, 53), shift(0, 27);
  for (int trial = 0; trial < 2000; ++trial) {
    ExactSum s;
    __int128 exact = 0;
    int count = 1 + trial % 40;
    for (int i = 0; i < count; ++i) {
      auto mantissa = static_cast<__int128>(rng() >> (64 - bits(rng)));
      __int128 m = mantissa << shift(rng);
      if (rng() & 1) m = -m;
      exact += m;
      s.add(std::ldexp(static_cast<double>(m), -40));
    }
    INFO("trial " << trial);
    REQUIRE(s.value() == std::ldexp(static_cast<double>(exact), -40));
  }
}

// The series spans sixty decades, so windows grow and drop partials. Expected
// values: CPython's math.fsum of each window, summed as 64-bit patterns
// (mod 2^64) per window length, from this script (Python 3.11):
//   import math, struct
//   P = {e: float("1e%d" % e) for e in range(-30, 31)}
//   xs = [(((i * 7919) % 2001 - 1000) / 997.0) * P[(i * 37) % 61 - 30] for i in range(3000)]
//   for w in (1, 2, 10, 30):
//       digest = 0
//       for i in range(len(xs)):
//           s = math.fsum(xs[max(0, i + 1 - w):i + 1])
//           digest = (digest + struct.unpack("<Q", struct.pack("<d", s))[0]) % 2**64
//       print(w, hex(digest), repr(math.fsum(xs[3000 - w:])))
TEST_CASE("ExactSum over a sliding window equals CPython's fsum of each window",
          "[indicators][exact_sum]") {
  std::vector<double> series;
  for (int i = 0; i < 3000; ++i) {
    const double power = std::strtod(("1e" + std::to_string((i * 37) % 61 - 30)).c_str(), nullptr);
    series.push_back((((i * 7919) % 2001 - 1000) / 997.0) * power);
  }
  struct Expected {
    std::size_t window;
    std::uint64_t digest;
    double last;
  };
  for (const Expected& x : {Expected{1, 0xe3c1f8dc93c24cc4u, 2.136409227683049e-27},
                            Expected{2, 0x7904be92f9d1d46u, 0.0029889669007021062},
                            Expected{10, 0xeb0a77394c589e0bu, 3.9225677031098926e+21},
                            Expected{30, 0xa6f40756d48c4432u, -5.153924382143573e+28}}) {
    INFO("window " << x.window);
    ExactSum sliding, reversed;
    std::uint64_t digest = 0;
    for (std::size_t i = 0; i < series.size(); ++i) {
      sliding.add(series[i]);
      if (i >= x.window) sliding.remove(series[i - x.window]);
      digest += bits_of(sliding.value());
    }
    CHECK(digest == x.digest);
    CHECK(sliding.value() == x.last);
    // The order of additions does not matter.
    for (std::size_t i = series.size(); i-- > series.size() - x.window;) reversed.add(series[i]);
    CHECK(reversed.value() == x.last);
  }
}

TEST_CASE("ExactSum handles infinities, NaN, overflow and clear", "[indicators][exact_sum]") {
  const double inf = std::numeric_limits<double>::infinity();
  ExactSum s;
  s.add(1.5);
  s.add(inf);
  CHECK(s.value() == inf);
  s.add(-inf);
  CHECK(std::isnan(s.value()));  // fsum raises here; a window reports NaN
  s.remove(inf);
  CHECK(s.value() == -inf);
  s.remove(-inf);
  CHECK(s.value() == 1.5);
  s.add(std::nan(""));
  CHECK(std::isnan(s.value()));
  s.remove(std::nan(""));
  CHECK(s.value() == 1.5);

  ExactSum big;
  big.add(std::numeric_limits<double>::max());
  CHECK_THROWS_MATCHES(big.add(std::numeric_limits<double>::max()), std::overflow_error,
                       Catch::Message("ExactSum: intermediate overflow"));

  s.clear();
  CHECK(same_bits(s.value(), 0.0));
  s.add(0.1);
  s.add(0.2);
  CHECK(s.value() == 0.30000000000000004);  // fsum([0.1, 0.2]); 0.3 exactly rounded
}

// (1 + 2^-30) * 2^(50k), k = 0..15: sixteen non-overlapping partials, far
// more than prices need. Expected values: CPython's math.fsum of the same doubles.
TEST_CASE("ExactSum keeps many partials exact", "[indicators][exact_sum]") {
  std::vector<double> xs;
  for (int k = 0; k < 16; ++k) xs.push_back(std::ldexp(1.0 + std::ldexp(1.0, -30), 50 * k));
  ExactSum first_seven;
  for (int k = 0; k < 7; ++k) first_seven.add(xs[k]);
  CHECK(first_seven.value() == 2.0370359782316255e+90);

  ExactSum all;
  for (double x : xs) all.add(x);
  CHECK(all.value() == 5.922386527048513e+225);
  for (int k = 0; k < 3; ++k) all.remove(xs[k]);
  CHECK(all.value() == 5.922386527048513e+225);   // math.fsum(xs[3:16])
  for (int k = 15; k >= 7; --k) all.remove(xs[k]);  // back to xs[3..6]
  CHECK(all.value() == 0x1.0000000400004p+300);   // math.fsum(xs[3:7])
  all.clear();
  all.add(1.5);
  CHECK(all.value() == 1.5);
}

namespace {

// CPython's math.fsum of `xs` written out plainly (msum with the half-way
// correction), rebuilt from scratch for each window: the reference the
// incremental sum must equal bit for bit.
double fsum_reference(const std::vector<double>& xs) {
  std::vector<double> p;
  for (double x : xs) {
    std::size_t i = 0;
    for (double y : p) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      const double hi = x + y;
      const double lo = y - (hi - x);
      if (lo != 0.0) p[i++] = lo;
      x = hi;
    }
    p.resize(i);
    p.push_back(x);
  }
  double hi = 0.0, lo = 0.0;
  std::size_t n = p.size();
  if (n > 0) {
    hi = p[--n];
    while (n > 0) {
      const double x = hi, y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo != 0.0) break;
    }
    if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
      const double y = lo * 2.0, x = hi + y;
      if (y == x - hi) hi = x;
    }
  }
  return hi;
}

}  // namespace

// Prices (the 128-bit integer form) and, now and then, a value it cannot hold
// (below 2^-60 or from 2^40: the sum moves into partials): every window's
// value equals the plain fsum of the window, bit for bit.
TEST_CASE("ExactSum's integer form and its partials agree with fsum on random windows",
          "[indicators][exact_sum]") {
  std::mt19937_64 rng(20261202);
  std::uniform_real_distribution<double> price(0.01, 5000.0), unit(0.0, 1.0);
  std::uniform_int_distribution<int> decimals(0, 6), period(1, 250);
  for (int trial = 0; trial < 60; ++trial) {
    const int w = period(rng);
    const bool with_outliers = trial % 3 == 0;
    std::vector<double> series;
    for (int i = 0; i < 1500; ++i) {
      const double scale = std::pow(10.0, decimals(rng));
      double x = std::round(price(rng) * scale) / scale;  // a quoted price: 2.179012, 36.5, ...
      if (rng() & 1) x = price(rng);                         // or any double in range
      if (with_outliers && unit(rng) < 0.01) x = (rng() & 1) ? 1e-25 * price(rng) : 3e12 * price(rng);
      if (unit(rng) < 0.05) x = -x;
      series.push_back(x);
    }
    ExactSum sliding;
    for (std::size_t i = 0; i < series.size(); ++i) {
      sliding.add(series[i]);
      if (i >= static_cast<std::size_t>(w)) sliding.remove(series[i - w]);
      const std::size_t first = i + 1 > static_cast<std::size_t>(w) ? i + 1 - w : 0;
      const double expected = fsum_reference({series.begin() + first, series.begin() + i + 1});
      INFO("trial " << trial << " window " << w << " at " << i);
      REQUIRE(bits_of(sliding.value()) == bits_of(expected));
    }
  }
}

TEST_CASE("ExactSum: the integer form's edges", "[indicators][exact_sum]") {
  ExactSum s;
  s.add(std::ldexp(1.0, -60));                  // the unit itself
  s.add(std::ldexp(1.0, 40) - std::ldexp(1.0, -12));  // the largest with its lowest bit at 2^-12
  CHECK(s.value() == std::ldexp(1.0, 40) - std::ldexp(1.0, -12));
  s.add(std::ldexp(1.0, 40));                   // beyond the integer form: partials from here
  s.add(std::ldexp(1.0, -61));                  // below its unit
  CHECK(s.value() == std::ldexp(1.0, 41) - std::ldexp(1.0, -12));
  s.remove(std::ldexp(1.0, 40));
  s.remove(std::ldexp(1.0, 40) - std::ldexp(1.0, -12));
  CHECK(s.value() == std::ldexp(1.0, -60) + std::ldexp(1.0, -61));
  s.clear();
  s.add(-0.0);
  CHECK(same_bits(s.value(), 0.0));
  s.add(5e-324);  // subnormal
  CHECK(s.value() == 5e-324);
}
