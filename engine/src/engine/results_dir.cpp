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
    // output.timestamp_format, checked at load to give one non-empty name.
    char buf[256];
    const std::size_t n = std::strftime(buf, sizeof buf, output.timestamp_format.c_str(), &local);
    const std::string stamp(buf, n);
    fs::path candidate = dir / stamp;
    // Two runs in the same second get distinct folders.
    for (int n = 2; fs::exists(candidate); ++n) candidate = dir / fmt::format("{}_{}", stamp, n);
    dir = candidate;
  }
  fs::create_directories(dir);
  return fs::absolute(dir).lexically_normal().string();
}

}  // namespace qtrader
