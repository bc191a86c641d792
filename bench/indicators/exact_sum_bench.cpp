// ns per SMA window update of ExactSum (add, remove, value), as scenario 1
// uses it: two windows (10 and 30) over 1000 series of 2520 quoted prices.
// Usage: build/bench/exact_sum [ROUNDS=5]; prints the median of ROUNDS.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "qtrader/indicators.hpp"

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> price(5, 300);
  std::vector<std::vector<double>> series(1000, std::vector<double>(2520));
  for (auto& s : series)
    for (auto& x : s) x = std::round(price(rng) * 1e6) / 1e6;  // six decimals, as Yahoo's CSVs
  std::vector<double> ns;
  double sink = 0;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& s : series)
      for (int period : {10, 30}) {
        qtrader::ExactSum sum;
        for (std::size_t i = 0; i < s.size(); ++i) {
          sum.add(s[i]);
          if (i >= static_cast<std::size_t>(period)) sum.remove(s[i - period]);
          sink += sum.value();
        }
      }
    const auto t1 = std::chrono::steady_clock::now();
    ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / (1000.0 * 2520 * 2));
  }
  std::sort(ns.begin(), ns.end());
  std::printf("ExactSum: %.1f ns per window update (median of %d; checksum %.17g)\n", ns[ns.size() / 2], rounds,
              sink / rounds);
}
