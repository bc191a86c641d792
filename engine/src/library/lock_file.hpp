// qtrader.lock: the libraries a backtest was locked to, next to the backtest
// file (`qtrader lib lock`; a run refuses a library that no longer matches).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "qtrader/config.hpp"

namespace qtrader {

inline constexpr const char* kLockFile = "qtrader.lock";

struct LockedLibrary {
  std::string name;
  std::string version;
  std::string source;  // where it was installed from, else its folder
  std::string hash;    // library_content_hash
  SourceLocation where;  // the entry's line, when read from a file
};

// <folder of the backtest>/qtrader.lock
std::string lock_path_for(const std::string& backtest_path);
// std::nullopt when there is no such file; ConfigError (file, line, key) when it is malformed.
std::optional<std::vector<LockedLibrary>> read_lock_file(const std::string& path);
// Libraries in the given order; the same input writes the same bytes.
void write_lock_file(const std::string& path, const std::vector<LockedLibrary>& libraries);

}  // namespace qtrader
