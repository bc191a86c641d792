// `qtrader --version`: what a bug report needs to name the build exactly.
#include <luajit.h>
#include <sqlite3.h>

#include <fmt/format.h>

#include "commands.hpp"
#include "qtrader/version.hpp"

namespace qtrader::cli {

std::string version_text() {
  // LuaJIT's version is the one compiled against (luajit.h; the ABI of the
  // 2.1 series is one), SQLite's the library loaded.
  return fmt::format(
      "qtrader {}\n"
      "commit:     {} ({})\n"
      "build type: {}\n"
      "LuaJIT:     {}\n"
      "SQLite:     {}",
      version(), git_commit(), git_describe(), build_type(), LUAJIT_VERSION, sqlite3_libversion());
}

}  // namespace qtrader::cli
