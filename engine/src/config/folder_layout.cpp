#include "config/folder_layout.hpp"

#include "base/regular_file.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <vector>

namespace qtrader {

namespace {

std::vector<std::string> header_cells(const std::string& file) {
  // A FIFO would block here and a device never end; validate_backtest names it.
  if (!not_a_regular_file(file).empty()) return {};
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) return {};
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 byte order mark
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
    cells.push_back(line.substr(start, comma - start));
  cells.push_back(line.substr(start));
  return cells;
}

// "Adj Close" -> "adjclose": the spelling a header cell is compared by.
std::string folded(const std::string& cell) {
  std::string out;
  for (const char c : cell)
    if (c != ' ' && c != '_' && c != '\t' && c != '"')
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trimmed(std::string cell) {
  while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.erase(0, 1);
  while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.pop_back();
  return cell;
}

// The field a header cell names, or "" for none.
std::string field_of(const std::string& key) {
  if (key == "date" || key == "datetime" || key == "timestamp") return "date";
  if (key == "time") return "time";
  if (key == "open" || key == "o") return "open";
  if (key == "high" || key == "h") return "high";
  if (key == "low" || key == "l") return "low";
  if (key == "close" || key == "c") return "close";
  if (key == "adjclose" || key == "adjustedclose") return "adj_close";
  if (key == "volume" || key == "vol" || key == "v") return "volume";
  if (key == "openinterest" || key == "oi") return "open_interest";
  return "";
}

}  // namespace

DataSourceConfig folder_source(const std::string& name, const std::string& dir,
                               const std::string& sample_file) {
  DataSourceConfig src;
  src.name = name;
  src.path = dir;
  src.where = {"--data", 0};
  src.columns.time = src.columns.open_interest = -1;
  src.columns.adj_close = 5;  // yahoo: Date,Open,High,Low,Close,Adj Close,Volume
  src.columns.volume = 6;
  const std::vector<std::string> cells = header_cells(sample_file);
  std::vector<std::string> keys;
  keys.reserve(cells.size());
  for (const auto& c : cells) keys.push_back(folded(c));
  const std::vector<std::string> yahoo = {"date", "open", "high", "low", "close", "adjclose", "volume"};
  const std::vector<std::string> ohlcv = {"date", "open", "high", "low", "close", "volume"};
  if (keys == yahoo) return src;
  if (keys == ohlcv || (keys.size() == 7 && std::equal(ohlcv.begin(), ohlcv.end(), keys.begin()) &&
                        keys[6] == "openinterest")) {
    src.layout = "ohlcv";
    src.columns.adj_close = -1;
    src.columns.volume = 5;
    src.columns.open_interest = 6;
    return src;
  }
  // Any other header that names the required fields: by name.
  std::vector<ColumnByName> by_name;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string field = field_of(keys[i]);
    const bool taken = std::any_of(by_name.begin(), by_name.end(),
                                   [&](const ColumnByName& c) { return c.field == field; });
    if (!field.empty() && !taken) by_name.push_back({field, trimmed(cells[i]), src.where});
  }
  for (const char* required : {"date", "open", "high", "low", "close"})
    if (std::none_of(by_name.begin(), by_name.end(),
                     [&](const ColumnByName& c) { return c.field == required; }))
      return src;  // no usable header: yahoo
  src.layout = "custom";
  src.columns = ColumnMap{-1, -1, -1, -1, -1, -1, -1, -1, -1};
  src.columns_by_name = std::move(by_name);
  return src;
}

}  // namespace qtrader
