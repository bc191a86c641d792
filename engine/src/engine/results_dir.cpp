#include "engine/results_dir.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

namespace qtrader {

namespace fs = std::filesystem;

namespace {

std::string normalized(const fs::path& p) { return fs::absolute(p).lexically_normal().string(); }

// The files a run writes into its folder (docs/writing-a-strategy.md, "Read the results").
bool written_by_a_run(const fs::path& file) {
  const std::string name = file.filename().string(), ext = file.extension().string();
  return ext == ".csv" || ext == ".json" || ext == ".partial" || name == "report.html" || name == "run.log" ||
         name.rfind("events.sqlite", 0) == 0;
}

bool holds_a_run(const fs::path& dir) {
  return fs::exists(dir / "events.sqlite") || fs::exists(dir / "summary.json") ||
         fs::exists(dir / "run.log");
}

}  // namespace

RunFolder claim_run_folder(const std::string& dir) {
  fs::create_directories(dir);
  RunFolder folder{normalized(dir), FolderLock(dir)};
  std::vector<fs::path> earlier, other;
  for (const auto& e : fs::directory_iterator(dir))
    (e.is_regular_file() && written_by_a_run(e.path()) ? earlier : other).push_back(e.path());
  if (earlier.empty() && other.empty()) return folder;
  if (!holds_a_run(dir))
    throw std::runtime_error(fmt::format(
        "{}: the folder holds files that are not a qtrader run's (e.g. {}): refusing to write a run "
        "into it",
        folder.path, (other.empty() ? earlier : other).front().filename().string()));
  for (const auto& f : earlier) fs::remove(f);
  return folder;
}

RunFolder make_results_dir(const std::string& base, const OutputConfig& output, FixedFolder fixed) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  fs::path dir = base;
  if (output.organize_by_date)
    dir /= fmt::format("{:04}/{:02}/{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
  if (!output.use_timestamps) {
    if (fixed == FixedFolder::ReplaceRun) return claim_run_folder(dir.string());
    fs::create_directories(dir);
    return {normalized(dir), FolderLock(dir.string())};
  }
  fs::create_directories(dir);
  // output.timestamp_format, checked at load to give one non-empty name.
  char buf[256];
  const std::size_t n = std::strftime(buf, sizeof buf, output.timestamp_format.c_str(), &local);
  const std::string stamp(buf, n);
  for (int k = 1;; ++k) {
    const fs::path candidate = k == 1 ? dir / stamp : dir / fmt::format("{}_{}", stamp, k);
    if (::mkdir(candidate.c_str(), 0777) == 0) return {normalized(candidate), FolderLock(candidate.string())};
    if (errno != EEXIST)
      throw std::runtime_error(fmt::format("{}: cannot create folder: {}", candidate.string(),
                                           std::strerror(errno)));
  }
}

}  // namespace qtrader
