// Folders of their own for tests. ctest runs test cases in parallel (and other
// checkouts may run theirs on the same machine), so no test writes into a
// fixed folder under /tmp: each gets a fresh one from mkdtemp.
#pragma once

#include <stdlib.h>

#include <cerrno>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace qtrader::test {

// A new, empty folder <temp>/qtrader-<tag>-XXXXXX, removed with its contents
// when the object goes (a forked child leaving with _exit leaves it alone).
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "test") {
    std::string pattern = (std::filesystem::temp_directory_path() / ("qtrader-" + tag + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// One folder for the whole test program run (each ctest entry is a process of
// its own), removed when the program exits.
inline const TempDir& process_temp_dir() {
  static const TempDir dir("run");
  return dir;
}

}  // namespace qtrader::test
