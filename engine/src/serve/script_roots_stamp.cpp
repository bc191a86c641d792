#include "serve/script_roots_stamp.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace qtrader::serve {

namespace fs = std::filesystem;

std::string script_roots_stamp(const std::vector<std::string>& roots) {
  std::vector<std::string> lines;
  for (const std::string& root : roots) {
    std::error_code ec;
    // A root that is missing or unreadable stamps as such: its appearance is a change too.
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      lines.push_back(fmt::format("{}\t?", root));
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      if (!it->is_regular_file(ec)) continue;
      const auto size = it->file_size(ec);
      const auto mtime = it->last_write_time(ec).time_since_epoch().count();
      lines.push_back(fmt::format("{}\t{}\t{}", it->path().string(), size, mtime));
    }
  }
  std::sort(lines.begin(), lines.end());  // directory order is the file system's, not ours
  return fmt::format("{}", fmt::join(lines, "\n"));
}

}  // namespace qtrader::serve
