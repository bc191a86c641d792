#include "data/content_hash_index.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "data/xxh64.hpp"

namespace qtrader::data_detail {

namespace {

constexpr std::string_view kEntryTag = "qtrader bar cache path entry 1";
constexpr std::int64_t kRacyWindowNs = 2'000'000'000;

std::int64_t nanos(const timespec& t) {
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

std::string entry_path(const std::string& dir, const std::string& path) {
  return dir + "/paths/" + hex64(xxh64(path));
}

// The recorded hash when the entry is for `path` with exactly these stat data.
std::optional<std::uint64_t> recorded_hash(const std::string& entry, const std::string& path,
                                           const FileStat& st) {
  std::ifstream in(entry, std::ios::binary);
  std::string tag, stats, recorded_path;
  if (!std::getline(in, tag) || !std::getline(in, stats) || !std::getline(in, recorded_path))
    return std::nullopt;
  if (tag != kEntryTag || recorded_path != path) return std::nullopt;  // another version, or a name clash
  FileStat recorded;
  std::uint64_t hash = 0;
  if (std::sscanf(stats.c_str(), "%" SCNu64 " %" SCNd64 " %" SCNd64 " %" SCNu64 " %" SCNx64,
                  &recorded.size, &recorded.mtime_ns, &recorded.ctime_ns, &recorded.inode,
                  &hash) != 5 ||
      !(recorded == st))
    return std::nullopt;
  return hash;
}

void record_hash(const std::string& dir, const std::string& entry, const std::string& path,
                 const FileStat& st, std::uint64_t hash) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  if (std::max(st.mtime_ns, st.ctime_ns) > nanos(now) - kRacyWindowNs) return;  // racily clean

  std::error_code ec;
  std::filesystem::create_directories(dir + "/paths", ec);
  if (ec) return;
  static std::atomic<unsigned> counter{0};
  const std::string temp = entry + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << kEntryTag << '\n'
        << fmt::format("{} {} {} {} {}\n", st.size, st.mtime_ns, st.ctime_ns, st.inode, hex64(hash))
        << path << '\n';
    if (!out.flush()) {
      std::filesystem::remove(temp, ec);
      return;
    }
  }
  // Atomic: a concurrent run reads the old entry, the new one, or none.
  std::filesystem::rename(temp, entry, ec);
  if (ec) std::filesystem::remove(temp, ec);
}

}  // namespace

std::string hex64(std::uint64_t v) { return fmt::format("{:016x}", v); }

std::optional<FileStat> stat_file(const std::string& path) {
  struct stat s {};
  if (::stat(path.c_str(), &s) != 0 || !S_ISREG(s.st_mode)) return std::nullopt;
  return FileStat{static_cast<std::uint64_t>(s.st_size), nanos(s.st_mtim), nanos(s.st_ctim),
                  static_cast<std::uint64_t>(s.st_ino)};
}

std::optional<std::uint64_t> content_hash(const std::string& dir, const std::string& path,
                                          const FileStat& st) {
  const std::string entry = entry_path(dir, path);
  if (auto hash = recorded_hash(entry, path, st)) return hash;
  const auto hash = xxh64_file(path);
  if (hash) record_hash(dir, entry, path, st, *hash);
  return hash;
}

}  // namespace qtrader::data_detail
