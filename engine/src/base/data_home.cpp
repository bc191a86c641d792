#include "qtrader/data_home.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace qtrader {

namespace fs = std::filesystem;

namespace {

// A data folder has the default system configuration; a folder without it is
// not one (an unrelated share/qtrader, a half-removed install).
bool is_data_home(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "config" / "system.yaml", ec);
}

}  // namespace

std::string executable_path() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.string();
}

std::string find_data_home() {
  if (const char* home = std::getenv("QTRADER_HOME"); home && *home) {
    std::error_code ec;
    if (!fs::is_directory(home, ec))
      throw std::runtime_error(fmt::format("QTRADER_HOME={}: not a folder", home));
    return fs::canonical(home).string();
  }
  std::string tried;
  if (const std::string exe = executable_path(); !exe.empty()) {
    // bin/qtrader -> ../share/qtrader; build/apps/qtrader/qtrader -> build/share/qtrader.
    fs::path dir = fs::path(exe).parent_path();
    for (int up = 0; up < 4 && !dir.empty(); ++up, dir = dir.parent_path()) {
      const fs::path candidate = dir / "share" / "qtrader";
      // Links resolved: <build>/share/qtrader is the source tree itself.
      if (is_data_home(candidate)) return fs::canonical(candidate).string();
      if (dir == dir.root_path()) break;
    }
    tried = fmt::format("share/qtrader above {}, ", exe);
  }
  const fs::path installed = QTRADER_INSTALL_DATADIR;
  if (is_data_home(installed)) return fs::canonical(installed).string();
  throw std::runtime_error(fmt::format(
      "cannot find qtrader's data folder (built-in strategies, config/system.yaml): tried {}{}; "
      "set QTRADER_HOME to it (docs/install.md)",
      tried, installed.string()));
}

}  // namespace qtrader
