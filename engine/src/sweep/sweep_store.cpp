#include "sweep/sweep_store.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace qtrader {

namespace {

// Metric columns are REAL (NULL when undefined); a double read back formats
// to the same shortest text, so a resumed sweep.csv is byte for byte the same.
std::string metric_columns(const char* type) {
  std::string out;
  for (const auto& m : sweep_metric_names()) out += fmt::format(", {} {}", m, type);
  return out;
}

}  // namespace

SweepStore::SweepStore(const std::string& path)
    : db_(std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)) {
  db_->setBusyTimeout(5000);
  // One commit per finished point: WAL without a sync per commit keeps that cheap.
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec("PRAGMA synchronous=NORMAL");
  db_->exec("CREATE TABLE IF NOT EXISTS sweep_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  db_->exec(fmt::format(
      "CREATE TABLE IF NOT EXISTS sweep_results (point INTEGER PRIMARY KEY, status TEXT NOT NULL, "
      "params TEXT NOT NULL{}, error TEXT NOT NULL)",
      metric_columns("REAL")));
  // A sweep started by a qtrader with fewer metrics: add their columns (NULL
  // for its rows), so it resumes.
  std::set<std::string> have;
  SQLite::Statement cols(*db_, "PRAGMA table_info(sweep_results)");
  while (cols.executeStep()) have.insert(cols.getColumn(1).getString());
  for (const auto& m : sweep_metric_names())
    if (!have.count(m)) db_->exec(fmt::format("ALTER TABLE sweep_results ADD COLUMN {} REAL", m));
}

SweepStore::~SweepStore() = default;

std::map<std::string, std::string> SweepStore::info() const {
  std::map<std::string, std::string> out;
  SQLite::Statement q(*db_, "SELECT key, value FROM sweep_info");
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getString();
  return out;
}

void SweepStore::write_info(const std::map<std::string, std::string>& info) {
  SQLite::Transaction t(*db_);
  SQLite::Statement q(*db_, "INSERT OR REPLACE INTO sweep_info (key, value) VALUES (?, ?)");
  for (const auto& [k, v] : info) {
    q.bind(1, k);
    q.bind(2, v);
    q.exec();
    q.reset();
  }
  t.commit();
}

std::vector<SweepRow> SweepStore::rows(const std::vector<SweepAxis>& axes) const {
  std::string columns;
  for (const auto& m : sweep_metric_names()) columns += ", " + m;
  SQLite::Statement q(*db_, fmt::format("SELECT point, status, params{}, error FROM sweep_results "
                                        "ORDER BY point", columns));
  std::vector<SweepRow> out;
  const int metrics = static_cast<int>(sweep_metric_names().size());
  while (q.executeStep()) {
    SweepRow row;
    row.point = static_cast<std::size_t>(q.getColumn(0).getInt64());
    row.status = q.getColumn(1).getString();
    const auto params = nlohmann::json::parse(q.getColumn(2).getString());
    for (const auto& a : axes)
      row.values.push_back(params.contains(a.name) ? params[a.name].get<std::string>() : "");
    if (row.status == "done")
      for (int i = 0; i < metrics; ++i) {
        const auto c = q.getColumn(3 + i);
        row.metrics.push_back(c.isNull() ? std::string() : fmt::format("{}", c.getDouble()));
      }
    row.error = q.getColumn(3 + metrics).getString();
    out.push_back(std::move(row));
  }
  return out;
}

void SweepStore::insert(const SweepRow& row, const std::vector<SweepAxis>& axes) {
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < axes.size() && i < row.values.size(); ++i)
    params[axes[i].name] = row.values[i];
  std::string placeholders;
  for (std::size_t i = 0; i < sweep_metric_names().size(); ++i) placeholders += ", ?";
  SQLite::Statement q(*db_, fmt::format("INSERT OR REPLACE INTO sweep_results VALUES (?, ?, ?{}, ?)",
                                        placeholders));
  int c = 1;
  q.bind(c++, static_cast<std::int64_t>(row.point));
  q.bind(c++, row.status);
  q.bind(c++, params.dump());
  for (std::size_t i = 0; i < sweep_metric_names().size(); ++i, ++c) {
    if (i < row.metrics.size() && !row.metrics[i].empty())
      q.bind(c, std::strtod(row.metrics[i].c_str(), nullptr));
    else
      q.bind(c);  // NULL
  }
  q.bind(c, row.error);
  q.exec();
}

void write_sweep_csv(const std::string& path, const std::vector<SweepAxis>& axes,
                     const std::map<std::size_t, SweepRow>& rows) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << sweep_csv_header(axes) << '\n';
    for (const auto& [point, row] : rows) out << format_sweep_row(row) << '\n';
    if (!out) throw std::runtime_error(fmt::format("{}: cannot write", tmp));
  }
  std::filesystem::rename(tmp, path);
}

std::string axes_json(const std::vector<SweepAxis>& axes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : axes) out.push_back({{"name", a.name}, {"values", a.values}});
  return out.dump();
}

std::vector<SweepAxis> axes_from_json(const std::string& text) {
  std::vector<SweepAxis> axes;
  for (const auto& a : nlohmann::json::parse(text))
    axes.push_back({a.at("name").get<std::string>(), a.at("values").get<std::vector<std::string>>()});
  return axes;
}

}  // namespace qtrader
