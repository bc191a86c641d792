// Runs a backtest of tests/fixtures/strategies through the embedding API, as
// the golden tests do, and reads its results folder.
#pragma once

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "csv_table.hpp"
#include "qtrader/engine.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

namespace qtrader::test {

inline const std::string kFixtures = QTRADER_FIXTURES_DIR;
inline const std::string kSourceDir = QTRADER_SOURCE_DIR;

inline RunResult run_fixture(const std::string& backtest) {
  return run_backtest(kFixtures + "/golden/system.yaml", kFixtures + "/strategies/" + backtest,
                      process_temp_dir().str(), /*report=*/true);
}

// One row of data/sample/<SYMBOL>.csv.
struct SampleBar {
  std::string date;
  double open, high, low, close;
};

inline std::vector<SampleBar> sample_bars(const std::string& symbol, const std::string& from,
                                          const std::string& to) {
  const CsvTable t = read_csv(kSourceDir + "/data/sample/" + symbol + ".csv");
  std::vector<SampleBar> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const std::string& d = t.at(i, "Date");
    if (d < from || d > to) continue;
    out.push_back({d, t.num(i, "Open"), t.num(i, "High"), t.num(i, "Low"), t.num(i, "Close")});
  }
  return out;
}

// A TA-Lib fixture column by date (NaN where TA-Lib has no value yet).
inline std::map<std::string, double> talib_column(const std::string& file, const std::string& column) {
  const CsvTable t = read_csv(kFixtures + "/talib/" + file);
  std::map<std::string, double> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const std::string& v = t.at(i, column);
    out[t.at(i, "date")] = v.empty() ? NAN : std::stod(v);
  }
  return out;
}

inline bool close_rel(double a, double b, double rel = 1e-12) {
  return std::fabs(a - b) <= rel * std::max(1.0, std::fabs(b));
}

}  // namespace qtrader::test
