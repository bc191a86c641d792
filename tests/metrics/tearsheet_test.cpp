// The tearsheet metrics (docs/metrics.md, "Tearsheet") on a real run against
// the values empyrical-reloaded and quantstats compute for it: the expected
// numbers are read from tests/fixtures/metrics/orcl_sma/metrics_reference.json
// (a copy of ../shared/reference/metrics/), never written here.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "metrics/calculations.hpp"
#include "metrics/run_files.hpp"
#include "metrics/tearsheet.hpp"
#include "qtrader/results.hpp"
#include "qtrader/time.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

const std::string kRun = std::string(QTRADER_FIXTURES_DIR) + "/metrics/orcl_sma";

const nlohmann::json& reference() {
  static const nlohmann::json j = [] {
    std::ifstream in(kRun + "/metrics_reference.json");
    return nlohmann::json::parse(in);
  }();
  return j;
}

double expected(const std::string& key) { return reference().at("values").at(key).get<double>(); }

// Within 1e-9 relative: the libraries sum in other orders (pairwise, BLAS).
bool close_to(double got, double want) {
  return std::fabs(got - want) <= 1e-9 * std::fabs(want);
}

const Metrics& run_metrics() {
  static const Metrics m = compute_metrics(kRun);
  return m;
}

#define CHECK_REF(got, key)                                   \
  do {                                                        \
    INFO(key << ": got " << (got) << ", library " << expected(key)); \
    CHECK(close_to((got), expected(key)));                    \
  } while (0)

}  // namespace

TEST_CASE("alpha, beta, tracking error and information ratio match empyrical", "[metrics][tearsheet]") {
  const auto& b = run_metrics().benchmark;
  REQUIRE(b.present);
  CHECK_REF(b.alpha_annual, "alpha_annual");
  CHECK_REF(b.beta, "beta");
  CHECK_REF(b.correlation, "correlation");
  CHECK_REF(b.tracking_error, "tracking_error_annual");
  CHECK_REF(b.information_ratio, "information_ratio_annual");
  CHECK_REF(b.information_ratio_daily, "information_ratio_quantstats");
  CHECK_REF(b.total_return, "benchmark_total_return");
  // The daily alpha is the one the annual alpha compounds.
  CHECK(close_to(std::pow(1.0 + b.alpha, 252.0) - 1.0, b.alpha_annual));
}

TEST_CASE("distribution of daily returns matches empyrical and scipy", "[metrics][tearsheet]") {
  const auto& d = run_metrics().portfolio.distribution;
  CHECK_REF(d.skew, "skew");
  CHECK_REF(d.excess_kurtosis, "excess_kurtosis");
  CHECK_REF(d.best_day, "best_day");
  CHECK_REF(d.worst_day, "worst_day");
  CHECK_REF(d.var_95, "var_95_historical");
  CHECK_REF(d.cvar_95, "cvar_95_historical");
  CHECK_REF(d.tail_ratio, "tail_ratio");
  CHECK_REF(d.omega, "omega_ratio");
  CHECK_REF(d.stability, "stability");
  // The existing portfolio figures use the same conventions.
  CHECK_REF(run_metrics().portfolio.annual_volatility, "annual_volatility");
  CHECK_REF(run_metrics().portfolio.sharpe, "sharpe");
}

TEST_CASE("rolling 126- and 252-day Sharpe and volatility match empyrical", "[metrics][tearsheet]") {
  const auto& daily = run_metrics().daily;
  int checked = 0;
  for (const auto& [key, value] : reference().at("values").items()) {
    if (key.rfind("rolling_", 0) != 0) continue;
    const auto at = key.find('@');
    const std::string what = key.substr(0, at), date = key.substr(at + 1);
    const DailyMetrics* day = nullptr;
    for (const auto& d : daily)
      if (d.date == date) day = &d;
    REQUIRE(day != nullptr);
    const double got = what == "rolling_sharpe_126"       ? day->rolling_sharpe_126
                       : what == "rolling_volatility_126" ? day->rolling_volatility_126
                       : what == "rolling_sharpe_252"     ? day->rolling_sharpe_252
                                                          : day->rolling_volatility_252;
    CHECK_REF(got, key);
    ++checked;
  }
  CHECK(checked == 12);
  // Undefined until a window is full: the 126th return is the first value.
  CHECK(std::isnan(daily[124].rolling_sharpe_126));
  CHECK(std::isfinite(daily[125].rolling_sharpe_126));
  CHECK(std::isnan(daily[250].rolling_volatility_252));
  CHECK(std::isfinite(daily[251].rolling_volatility_252));
}

TEST_CASE("annual returns match empyrical's aggregate_returns", "[metrics][tearsheet]") {
  const auto& m = run_metrics();
  REQUIRE(m.yearly_returns.size() == 20);
  for (const auto& y : m.yearly_returns) CHECK_REF(y.value, "annual_return_" + y.period);
  // The monthly table compounds to the year.
  const auto j = nlohmann::json::parse(metrics_to_json(m));
  for (const auto& y : m.yearly_returns) {
    double g = 1.0;
    int months = 0;
    for (const auto& [k, v] : j["returns_table"][y.period].items())
      if (k != "year") {
        g *= 1.0 + v.get<double>();
        ++months;
      }
    CHECK(months == 12);
    CHECK(std::fabs(g - 1.0 - y.value) <= 1e-12);
    CHECK(j["returns_table"][y.period]["year"].get<double>() == y.value);
  }
}

TEST_CASE("the five worst drawdowns match quantstats' drawdown_details", "[metrics][tearsheet]") {
  const auto& table = run_metrics().worst_drawdowns;
  const auto& qs = reference().at("worst_drawdowns_quantstats");
  REQUIRE(table.size() == 5);
  REQUIRE(qs.size() == 5);
  const auto days = metrics::day_end_equity(metrics::read_run_files(kRun).equity);
  for (std::size_t i = 0; i < 5; ++i) {
    INFO("drawdown " << i);
    const auto& d = table[i];
    // quantstats' depth is in percent; its start and end are the first and
    // last day under water.
    CHECK(close_to(d.depth * 100.0, qs[i]["max drawdown"].get<double>()));
    CHECK(d.first_underwater == qs[i]["start"].get<std::string>().substr(0, 10));
    CHECK(d.trough == qs[i]["valley"].get<std::string>().substr(0, 10));
    CHECK(d.last_underwater == qs[i]["end"].get<std::string>().substr(0, 10));
    const double qs_days = static_cast<double>(*parse_timestamp(d.last_underwater) -
                                               *parse_timestamp(d.first_underwater)) /
                               metrics::kNsPerDay + 1.0;
    CHECK(qs_days == qs[i]["days"].get<double>());
    // The project's own dates: the peak is the trading day before the first
    // day under water, the recovery the day after the last (if any).
    std::size_t first = 0, last = 0;
    for (std::size_t k = 0; k < days.size(); ++k) {
      if (format_date(days[k].day) == d.first_underwater) first = k;
      if (format_date(days[k].day) == d.last_underwater) last = k;
    }
    REQUIRE(first > 0);
    CHECK(d.start == format_date(days[first - 1].day));
    if (last + 1 < days.size())
      CHECK(d.recovery == format_date(days[last + 1].day));
    else
      CHECK(d.recovery.empty());
    CHECK(d.days_underwater == last - first + 1);
  }
  // The deepest is the run's max drawdown (equal here: one row per day).
  CHECK(table[0].depth == run_metrics().portfolio.max_drawdown.depth);
  CHECK(table[0].start == run_metrics().portfolio.max_drawdown.start);
}

TEST_CASE("metrics.json gains the tearsheet and metrics_daily.csv the series", "[metrics][tearsheet]") {
  test::TempDir dir("tearsheet");
  for (const char* f : {"equity.csv", "summary.json", "benchmark.csv"})
    std::filesystem::copy_file(kRun + "/" + f, dir.str() + "/" + f);
  write_metrics_json(dir.str(), compute_metrics(dir.str()));
  std::ifstream in(dir.str() + "/metrics.json");
  const auto j = nlohmann::json::parse(in);
  CHECK(j["benchmark"]["beta"].is_number());
  CHECK(j["worst_drawdowns"].size() == 5);
  CHECK(j["worst_drawdowns"][0]["recovery"].is_null());
  CHECK(j["portfolio"]["var_95"].is_number());
  std::ifstream daily(dir.str() + "/metrics_daily.csv");
  std::string header, line;
  std::getline(daily, header);
  CHECK(header ==
        "date,equity,return,benchmark_return,drawdown,net_exposure,rolling_sharpe_126,"
        "rolling_volatility_126,rolling_sharpe_252,rolling_volatility_252");
  int rows = 0;
  while (std::getline(daily, line)) ++rows;
  CHECK(rows == 5036);
}

TEST_CASE("without benchmark.csv the benchmark section is null", "[metrics][tearsheet]") {
  const Metrics m = compute_metrics(std::string(QTRADER_FIXTURES_DIR) + "/metrics/basic");
  CHECK_FALSE(m.benchmark.present);
  CHECK(std::isnan(m.benchmark.beta));
  CHECK(nlohmann::json::parse(metrics_to_json(m))["benchmark"].is_null());
  for (const auto& d : m.daily) CHECK(std::isnan(d.benchmark_return));
}

TEST_CASE("drawdown table: the initial equity is the first peak, unrecovered spells stay open",
          "[metrics][tearsheet]") {
  const Timestamp d1 = *parse_date("2024-01-02"), d2 = *parse_date("2024-01-03"),
                  d3 = *parse_date("2024-01-04");
  // 99 on the first day is under V_0 = 100 (quantstats would start its peak at 99).
  const auto table = metrics::worst_drawdowns(100.0, {{d1, 99.0}, {d2, 101.0}, {d3, 100.0}}, 5);
  REQUIRE(table.size() == 2);
  CHECK(table[0].depth == 99.0 / 100.0 - 1.0);
  CHECK(table[0].start == "2024-01-02");  // V_0 counts as reached on the first day
  CHECK(table[0].first_underwater == "2024-01-02");
  CHECK(table[0].recovery == "2024-01-03");
  CHECK(table[0].duration_days == 1.0);
  CHECK(table[1].depth == 100.0 / 101.0 - 1.0);
  CHECK(table[1].start == "2024-01-03");
  CHECK(table[1].trough == "2024-01-04");
  CHECK(table[1].recovery.empty());
  CHECK(table[1].days_underwater == 1);
}
