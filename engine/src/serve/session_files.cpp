#include "serve/session_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

namespace qtrader::serve {

namespace fs = std::filesystem;

namespace {

bool inside(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p)
    if (p == path.end() || *p != *r) return false;
  return true;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else if (c != '\r') {
      cells.back() += c;
    }
  }
  return cells;
}

nlohmann::ordered_json cell(const std::string& text) {
  const char* end = text.data() + text.size();
  long long n = 0;
  if (const auto r = std::from_chars(text.data(), end, n); !text.empty() && r.ec == std::errc() && r.ptr == end)
    return n;
  double v = 0;
  const auto r = std::from_chars(text.data(), end, v);
  if (!text.empty() && r.ec == std::errc() && r.ptr == end && std::isfinite(v)) return v;
  return text;
}

}  // namespace

std::optional<std::string> read_session_file(const std::string& results_root, const std::string& run_dir,
                                             const std::string& name) {
  std::error_code ec;
  const fs::path root = fs::canonical(results_root, ec);
  if (ec) return std::nullopt;
  const fs::path file = fs::path(run_dir) / name;
  const fs::path real = fs::canonical(file, ec);
  if (ec || !inside(real, root)) return std::nullopt;
  // The file itself is not followed either: O_NOFOLLOW refuses a last-component link.
  const int fd = open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  struct stat st{};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return std::nullopt;
  }
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return out;
}

std::string csv_to_json(const std::string& csv) {
  nlohmann::ordered_json out{{"columns", nlohmann::ordered_json::array()}, {"rows", nlohmann::ordered_json::array()}};
  std::size_t pos = 0;
  bool header = true;
  while (pos < csv.size()) {
    std::size_t nl = csv.find('\n', pos);
    if (nl == std::string::npos) nl = csv.size();
    const std::string line = csv.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    const auto cells = split_csv_line(line);
    if (header) {
      out["columns"] = cells;
      header = false;
      continue;
    }
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (const auto& c : cells) row.push_back(cell(c));
    out["rows"].push_back(std::move(row));
  }
  return out.dump();
}

}  // namespace qtrader::serve
