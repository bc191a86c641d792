// A small CSV reader for test assertions: header row, comma separated, no quoting.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace qtrader::test {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::map<std::string, std::string> summary;  // "#SUMMARY,key,value" lines

  std::size_t col(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    throw std::runtime_error("no column " + name);
  }
  const std::string& at(std::size_t row, const std::string& name) const { return rows.at(row).at(col(name)); }
  double num(std::size_t row, const std::string& name) const { return std::stod(at(row, name)); }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

inline CsvTable read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  CsvTable t;
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto cells = split_csv_line(line);
    if (first) {
      t.header = cells;
      first = false;
    } else if (cells[0] == "#SUMMARY") {
      if (cells.size() >= 3) t.summary[cells[1]] = cells[2];
    } else {
      t.rows.push_back(cells);
    }
  }
  return t;
}

}  // namespace qtrader::test
