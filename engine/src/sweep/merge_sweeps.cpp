// merge_sweeps: the shards of one sweep, run as a job array's tasks into
// their own folders, made into the folder one sweep of the whole would have
// written (qtrader/sweep.hpp).
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "base/folder_lock.hpp"
#include "qtrader/sweep.hpp"
#include "sweep/sweep_report.hpp"
#include "sweep/sweep_store.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

struct Shard {
  std::string dir;
  std::map<std::string, std::string> info;
};

std::string value_of(const std::map<std::string, std::string>& info, const std::string& key) {
  const auto it = info.find(key);
  return it == info.end() ? std::string() : it->second;
}

Shard read_shard(const std::string& dir) {
  const fs::path db = fs::path(dir) / "sweep.sqlite";
  if (!fs::is_regular_file(db)) throw SweepError(fmt::format("{}: no sweep.sqlite: not a sweep folder", dir));
  Shard s{fs::absolute(dir).lexically_normal().string(), SweepStore(db.string()).info()};
  if (value_of(s.info, "axes").empty() || value_of(s.info, "selected").empty())
    throw SweepError(fmt::format("{}: a sweep made by an older qtrader (no axes or selection recorded): "
                                 "run it again to merge it", dir));
  return s;
}

// Every shard must come from the same sweep: its grid, files and selection.
void check_same_sweep(const std::vector<Shard>& shards) {
  const std::pair<const char*, const char*> keys[] = {{"grid", "grid"},
                                                      {"backtest_hash", "backtest file"},
                                                      {"system_hash", "system file"},
                                                      {"selection", "selection of points"},
                                                      {"span", "span of dates"}};
  const Shard& first = shards.front();
  std::set<std::string> seen;
  std::string count;
  for (const Shard& s : shards) {
    for (const auto& [key, name] : keys)
      if (value_of(s.info, key) != value_of(first.info, key))
        throw SweepError(fmt::format("{} is a sweep with another {} than {} ({} there, {} here): not its shard",
                                     s.dir, name, first.dir, value_of(first.info, key), value_of(s.info, key)));
    const std::string shard = value_of(s.info, "shard");
    const std::string n = shard.empty() ? "1" : shard.substr(shard.find('/') + 1);
    if (!count.empty() && n != count)
      throw SweepError(fmt::format("{} is a shard of {} slices, {} of {}: not the same split", s.dir, n,
                                   first.dir, count));
    count = n;
    if (!seen.insert(shard).second)
      throw SweepError(fmt::format("{}: shard {} is given twice", s.dir, shard.empty() ? "(whole)" : shard));
  }
}

// A point in two folders must have the same row in both.
bool same_row(const SweepRow& a, const SweepRow& b) {
  return a.values == b.values && a.status == b.status && a.metrics == b.metrics && a.error == b.error;
}

}  // namespace

SweepResult merge_sweeps(const std::vector<std::string>& shard_dirs, const std::string& output_dir) {
  if (shard_dirs.empty()) throw SweepError("sweep merge: give the shard folders to merge");
  std::vector<Shard> shards;
  shards.reserve(shard_dirs.size());
  for (const auto& d : shard_dirs) shards.push_back(read_shard(d));
  check_same_sweep(shards);
  const auto axes = axes_from_json(value_of(shards.front().info, "axes"));

  std::map<std::size_t, SweepRow> rows;
  for (const Shard& s : shards)
    for (auto& row : SweepStore((fs::path(s.dir) / "sweep.sqlite").string()).rows(axes)) {
      const auto [it, added] = rows.emplace(row.point, row);
      if (!added && !same_row(it->second, row))
        throw SweepError(fmt::format("{}: point {} differs from the same point of another shard", s.dir, row.point));
    }

  SweepResult result;
  fs::create_directories(output_dir);
  result.dir = fs::absolute(output_dir).lexically_normal().string();
  for (const Shard& s : shards)
    if (s.dir == result.dir) throw SweepError(fmt::format("--output {} is one of the shards", output_dir));
  FolderLock lock(result.dir);
  result.csv = (fs::path(result.dir) / "sweep.csv").string();
  SweepStore out((fs::path(result.dir) / "sweep.sqlite").string());
  std::map<std::string, std::string> info = shards.front().info;
  info["shard"] = "";
  if (const auto before = out.info(); !before.empty())
    for (const char* key : {"grid", "backtest_hash", "system_hash", "selection", "shard", "span"})
      if (value_of(before, key) != info[key])
        throw SweepError(fmt::format("{} holds another sweep ({} differs): use another --output", result.dir, key));
  for (auto& row : out.rows(axes)) rows.emplace(row.point, std::move(row));
  out.write_info(info);
  for (const auto& [point, row] : rows) out.insert(row, axes);

  // Each point's results folder, as the shard left it.
  for (const Shard& s : shards) {
    const fs::path points = fs::path(s.dir) / "points";
    std::error_code ec;
    if (!fs::is_directory(points, ec)) continue;
    for (const auto& e : fs::directory_iterator(points)) {
      const fs::path to = fs::path(result.dir) / "points" / e.path().filename();
      if (fs::exists(to)) continue;
      fs::create_directories(to.parent_path());
      fs::copy(e.path(), to, fs::copy_options::recursive);
    }
  }
  write_sweep_csv(result.csv, axes, rows);
  write_sweep_report(result.dir, sweep_title(value_of(info, "backtest"), axes), axes, rows,
                     std::stoul(value_of(info, "selected")), "sharpe");
  result.progress.total = std::stoul(value_of(info, "selected"));
  result.progress.skipped = rows.size();
  for (auto& [point, row] : rows) result.rows.push_back(std::move(row));
  return result;
}

}  // namespace qtrader
