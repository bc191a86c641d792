#include "engine/results_dir.hpp"

#include <ctime>
#include <filesystem>

#include <fmt/format.h>

namespace qtrader {

std::string make_results_dir(const std::string& base, const OutputConfig& output) {
  namespace fs = std::filesystem;
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  fs::path dir = base;
  if (output.organize_by_date)
    dir /= fmt::format("{:04}/{:02}/{:02}", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
  if (output.use_timestamps) {
    const std::string stamp =
        fmt::format("{:04}{:02}{:02}_{:02}{:02}{:02}", local.tm_year + 1900, local.tm_mon + 1,
                    local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec);
    fs::path candidate = dir / stamp;
    // Two runs in the same second get distinct folders.
    for (int n = 2; fs::exists(candidate); ++n) candidate = dir / fmt::format("{}_{}", stamp, n);
    dir = candidate;
  }
  fs::create_directories(dir);
  return fs::absolute(dir).lexically_normal().string();
}

}  // namespace qtrader
