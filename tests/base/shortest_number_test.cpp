// write_shortest: the same bytes as fmt's "{}" for every kind of double the
// results files hold (whole numbers, prices, tiny weights, edges).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include <fmt/format.h>

#include "base/shortest_number.hpp"

using qtrader::write_shortest;

namespace {
std::string shortest(double v) {
  char buf[qtrader::kShortestNumberMax];
  return std::string(buf, write_shortest(buf, v));
}
}  // namespace

TEST_CASE("write_shortest prints whole numbers and edges as fmt does") {
  CHECK(shortest(10.0) == "10");
  CHECK(shortest(-250.0) == "-250");
  CHECK(shortest(0.0) == "0");
  CHECK(shortest(-0.0) == "-0");
  CHECK(shortest(999999999999999.0) == "999999999999999");
  CHECK(shortest(1e15) == "1000000000000000");
  CHECK(shortest(1e16) == "1e+16");
  CHECK(shortest(7.596518916778714e-07) == "7.596518916778714e-07");
  CHECK(shortest(75.96517) == "75.96517");
  CHECK(shortest(0.1 + 0.2) == "0.30000000000000004");
  CHECK(shortest(std::numeric_limits<double>::infinity()) == "inf");
  CHECK(shortest(-std::numeric_limits<double>::infinity()) == "-inf");
  CHECK(shortest(std::nan("")) == "nan");
  CHECK(shortest(std::numeric_limits<double>::denorm_min()) == "5e-324");
  CHECK(shortest(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
}

TEST_CASE("write_shortest matches fmt on 400000 random doubles") {
  std::mt19937_64 rng(20261203);
  std::uniform_int_distribution<std::int64_t> whole(-2'000'000'000'000'000, 2'000'000'000'000'000);
  std::uniform_real_distribution<double> price(0.0, 5000.0);
  std::uniform_int_distribution<int> scale(-20, 20);
  std::uniform_int_distribution<int> shift(0, 60);
  int mismatches = 0;
  for (int i = 0; i < 100'000; ++i) {
    const double w = static_cast<double>(whole(rng) >> shift(rng));  // whole numbers of every size
    const double p = std::round(price(rng) * 1e6) / 1e6;                   // six-decimal prices
    const double s = price(rng) * std::pow(10.0, scale(rng));              // any magnitude
    std::uint64_t bits = rng();
    double any;
    std::memcpy(&any, &bits, sizeof any);  // any bit pattern
    for (double v : {w, -p, s, any})
      if (shortest(v) != fmt::format("{}", v)) ++mismatches;
  }
  CHECK(mismatches == 0);
}
