// Every indicator against TA-Lib 0.4's values for every bar of ORCL and YHOO:
// the same first defined bar, and every value within 1e-9 relative.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "fixture_csv.hpp"
#include "qtrader/indicators.hpp"

using namespace qtrader;

namespace {

struct ColumnSpec {
  const char* column;
  const char* kind;
  std::vector<double> args;
  int line;
  BarField field;
};

const std::vector<ColumnSpec>& column_specs() {
  static const std::vector<ColumnSpec> specs = {
      {"sma_10", "sma", {10}, 0, BarField::Close},
      {"sma_30", "sma", {30}, 0, BarField::Close},
      {"ema_20", "ema", {20}, 0, BarField::Close},
      {"wma_20", "wma", {20}, 0, BarField::Close},
      {"rsi_14", "rsi", {14}, 0, BarField::Close},
      {"macd_12_26_9", "macd", {12, 26, 9}, 0, BarField::Close},
      {"macd_signal_12_26_9", "macd", {12, 26, 9}, 1, BarField::Close},
      {"macd_hist_12_26_9", "macd", {12, 26, 9}, 2, BarField::Close},
      {"bbands_upper_20_2", "bbands", {20, 2, 2}, 0, BarField::Close},
      {"bbands_middle_20_2", "bbands", {20, 2, 2}, 1, BarField::Close},
      {"bbands_lower_20_2", "bbands", {20, 2, 2}, 2, BarField::Close},
      {"stddev_20", "stddev", {20, 1}, 0, BarField::Close},
      {"atr_14", "atr", {14}, 0, BarField::Close},
      {"roc_10", "roc", {10}, 0, BarField::Close},
      {"willr_14", "willr", {14}, 0, BarField::Close},
      {"stoch_k_14_3_3", "stoch", {14, 3, 3}, 0, BarField::Close},
      {"stoch_d_14_3_3", "stoch", {14, 3, 3}, 1, BarField::Close},
      {"adx_14", "adx", {14}, 0, BarField::Close},
      {"cci_20", "cci", {20}, 0, BarField::Close},
      {"obv", "obv", {}, 0, BarField::Close},
      {"highest_high_20", "highest", {20}, 0, BarField::High},
      {"lowest_low_20", "lowest", {20}, 0, BarField::Low},
  };
  return specs;
}

// Runs one indicator over all bars and returns `line` per bar.
std::vector<double> run(const ColumnSpec& spec, const std::vector<Bar>& bars) {
  auto ind = make_indicator(spec.kind, spec.field, spec.args, 1);
  std::vector<double> out;
  out.reserve(bars.size());
  for (const Bar& b : bars) {
    ind->update(b);
    out.push_back(ind->value(spec.line, 0));
  }
  return out;
}

long first_defined(const std::vector<double>& v) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isnan(v[i])) return static_cast<long>(i);
  return -1;
}

// |a - b| measured against the allowed error: 1e-9 of |ref|, at least 1e-12
// for values near zero (a MACD histogram crossing zero). <= 1 passes.
double error_ratio(double mine, double ref) {
  return std::fabs(mine - ref) / std::max(1e-9 * std::fabs(ref), 1e-12);
}

// Tolerance: the 1e-9 relative contract; BitExact: every indicator except SMA
// repeats TA-Lib's floating-point operations in order, so its values must be
// identical (SMA is an exact fsum by design, TA-Lib's a running total).
enum class Match { Tolerance, BitExact };

void check_against_talib(const char* prices, const char* fixture, Match match) {
  auto file = test::read_yahoo_prices(test::sample_path(prices));
  auto talib = test::read_csv_columns(test::fixture_path(fixture));
  REQUIRE(talib.rows() == file.bars.size());
  REQUIRE(talib.first == file.dates);

  // Every fixture column is covered by a spec, so none goes unchecked.
  std::set<std::string> covered;
  for (const auto& spec : column_specs()) covered.insert(spec.column);
  for (std::size_t c = 1; c < talib.header.size(); ++c) {
    INFO("fixture column " << talib.header[c]);
    CHECK(covered.count(talib.header[c]) == 1);
  }

  for (const auto& spec : column_specs()) {
    if (match == Match::BitExact && std::string(spec.kind) == "sma") continue;
    const auto& ref = talib.column(spec.column);
    auto mine = run(spec, file.bars);
    long definedness_mismatches = 0;
    long worst = -1;
    double worst_ratio = 0.0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
      if (std::isnan(ref[i]) != std::isnan(mine[i])) {
        ++definedness_mismatches;
        continue;
      }
      if (std::isnan(ref[i])) continue;
      double r = match == Match::BitExact ? (mine[i] == ref[i] ? 0.0 : 2.0)
                                          : error_ratio(mine[i], ref[i]);
      if (worst < 0 || r > worst_ratio) {
        worst_ratio = r;
        worst = static_cast<long>(i);
      }
    }
    INFO(fixture << " column " << spec.column);
    if (worst >= 0) {
      auto w = static_cast<std::size_t>(worst);
      INFO(fmt::format("worst bar {} ({}): qtrader {:.17g}, TA-Lib {:.17g}, error {:.3g} of allowed",
                       worst, file.dates[w], mine[w], ref[w], worst_ratio));
      CHECK(worst_ratio <= 1.0);
    }
    CHECK(first_defined(mine) == first_defined(ref));
    CHECK(first_defined(ref) >= 0);
    CHECK(definedness_mismatches == 0);
  }
}

}  // namespace

TEST_CASE("indicators match TA-Lib on every ORCL bar", "[indicators][talib]") {
  check_against_talib("ORCL.csv", "talib/orcl-1995-2014.talib.csv", Match::Tolerance);
}

TEST_CASE("indicators match TA-Lib on every YHOO bar", "[indicators][talib]") {
  check_against_talib("YHOO.csv", "talib/yhoo-1996-2015.talib.csv", Match::Tolerance);
}

TEST_CASE("indicators other than SMA are bit-identical to TA-Lib", "[indicators][talib]") {
  check_against_talib("ORCL.csv", "talib/orcl-1995-2014.talib.csv", Match::BitExact);
  check_against_talib("YHOO.csv", "talib/yhoo-1996-2015.talib.csv", Match::BitExact);
}

TEST_CASE("TA-Lib's first defined bars are the documented ones", "[indicators][talib]") {
  // Independent of our code: pins the warm-up conventions the fixtures encode
  // (0-based bar index of the first value), e.g. MACD 12/26/9 on bar 34.
  auto talib = test::read_csv_columns(test::fixture_path("talib/orcl-1995-2014.talib.csv"));
  CHECK(first_defined(talib.column("sma_10")) == 9);
  CHECK(first_defined(talib.column("ema_20")) == 19);
  CHECK(first_defined(talib.column("rsi_14")) == 14);
  CHECK(first_defined(talib.column("macd_12_26_9")) == 33);
  CHECK(first_defined(talib.column("atr_14")) == 14);
  CHECK(first_defined(talib.column("stoch_k_14_3_3")) == 17);
  CHECK(first_defined(talib.column("adx_14")) == 27);
  CHECK(first_defined(talib.column("obv")) == 0);
}
