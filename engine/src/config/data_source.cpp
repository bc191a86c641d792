// DataSourceConfig's path and column rules, used by the CSV adapter.
#include <filesystem>

#include <fmt/format.h>

#include "config/column_fields.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

namespace fs = std::filesystem;

std::string DataSourceConfig::file_for(const std::string& symbol) const {
  static constexpr std::string_view kMarker = "{symbol}";
  if (path.find(kMarker) != std::string::npos) {
    std::string out = path;
    for (auto at = out.find(kMarker); at != std::string::npos;
         at = out.find(kMarker, at + symbol.size()))
      out.replace(at, kMarker.size(), symbol);
    return out;
  }
  // The first that exists: .csv, then .txt, then their gzip forms (read
  // through zlib); when none does, the .csv, so the error says what was expected.
  const fs::path csv = fs::path(path) / (symbol + ".csv");
  std::error_code ec;
  for (const char* ext : {".csv", ".txt", ".csv.gz", ".txt.gz"}) {
    const fs::path candidate = fs::path(path) / (symbol + ext);
    if (fs::exists(candidate, ec)) return candidate.string();
  }
  return csv.string();
}

namespace {

std::string_view trimmed_cell(std::string_view cell) {
  if (cell.substr(0, 3) == "\xEF\xBB\xBF") cell.remove_prefix(3);  // UTF-8 byte order mark
  while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
  while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t' || cell.back() == '\r'))
    cell.remove_suffix(1);
  return cell;
}

}  // namespace

ColumnMap DataSourceConfig::resolve_columns(const std::vector<std::string>& header,
                                            const std::string& data_file) const {
  ColumnMap out = columns;
  for (const ColumnByName& c : columns_by_name) {
    int index = -1;
    for (std::size_t i = 0; i < header.size() && index < 0; ++i)
      if (trimmed_cell(header[i]) == c.header) index = static_cast<int>(i);
    if (index < 0) {
      std::string cells;
      for (const auto& h : header)
        cells += (cells.empty() ? "" : ", ") + std::string(trimmed_cell(h));
      throw ConfigError(c.where.file, c.where.line, "sources." + name + ".columns." + c.field,
                        fmt::format("column '{}' is not in the header of {} (header: {})", c.header,
                                    data_file, cells));
    }
    out.*config_detail::column_field(c.field) = index;
  }
  return out;
}

void DataSourceConfig::apply_default_timezone(const std::string& zone) {
  if (timezone_given) return;
  timezone = zone;
  if (exchange_follows_timezone) exchange_timezone = zone;
}

const DataSourceConfig* DataSourcesConfig::find(const std::string& name) const noexcept {
  for (const auto& s : sources)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace qtrader
