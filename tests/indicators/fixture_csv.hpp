// Test-local readers for the fixture CSVs and the sample price files (the data
// library is not used here, so these tests depend on the indicators alone).
#pragma once

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader::test {

// A CSV file as columns of numbers (parsed with strtod, NaN for an empty or
// non-numeric cell); the first column is also kept as text (the dates).
struct CsvColumns {
  std::vector<std::string> header;
  std::vector<std::string> first;
  std::vector<std::vector<double>> columns;

  std::size_t rows() const { return first.size(); }
  const std::vector<double>& column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return columns[i];
    throw std::runtime_error("no column " + std::string(name));
  }
};

inline std::vector<std::string> split_commas(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = line.find(',', start);
    cells.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

inline double parse_cell(const std::string& cell) {
  if (cell.empty()) return kNaN;
  char* end = nullptr;
  double v = std::strtod(cell.c_str(), &end);
  return end == cell.c_str() + cell.size() ? v : kNaN;
}

inline CsvColumns read_csv_columns(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  CsvColumns t;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto cells = split_commas(line);
    if (t.header.empty()) {
      t.header = cells;
      t.columns.resize(cells.size());
      continue;
    }
    if (cells.size() != t.header.size())
      throw std::runtime_error(path + ": row with " + std::to_string(cells.size()) + " cells");
    t.first.push_back(cells[0]);
    for (std::size_t c = 0; c < cells.size(); ++c) t.columns[c].push_back(parse_cell(cells[c]));
  }
  return t;
}

// A Yahoo-layout price file (Date,Open,High,Low,Close,Adj Close,Volume).
struct PriceFile {
  std::vector<std::string> dates;
  std::vector<Bar> bars;
};

inline PriceFile read_yahoo_prices(const std::string& path) {
  CsvColumns t = read_csv_columns(path);
  PriceFile out;
  out.dates = t.first;
  const auto& open = t.column("Open");
  const auto& high = t.column("High");
  const auto& low = t.column("Low");
  const auto& close = t.column("Close");
  const auto& adj = t.column("Adj Close");
  const auto& volume = t.column("Volume");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    Bar b;
    b.ts = static_cast<Timestamp>(i) * kNanosPerDay;  // order is all that matters here
    b.symbol = 0;
    b.open = open[i];
    b.high = high[i];
    b.low = low[i];
    b.close = close[i];
    b.adj_close = adj[i];
    b.volume = volume[i];
    out.bars.push_back(b);
  }
  return out;
}

inline std::string sample_path(const char* name) {
  return std::string(QTRADER_SOURCE_DIR) + "/data/sample/" + name;
}
inline std::string fixture_path(const char* relative) {
  return std::string(QTRADER_FIXTURES_DIR) + "/" + relative;
}

}  // namespace qtrader::test
