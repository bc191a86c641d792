#include "library/lock_file.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "config/yaml_reader.hpp"

namespace qtrader {

namespace fs = std::filesystem;

std::string lock_path_for(const std::string& backtest_path) {
  return (fs::absolute(backtest_path).parent_path() / kLockFile).lexically_normal().string();
}

std::optional<std::vector<LockedLibrary>> read_lock_file(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  const auto root = config_detail::load_yaml_file(path).map({"libraries"});
  std::vector<LockedLibrary> out;
  if (const auto list = root.get("libraries"))
    for (const auto& item : list->items()) {
      const auto m = item.map({"name", "version", "source", "hash"});
      LockedLibrary lib;
      lib.name = m.require("name").text();
      lib.version = m.require("version").text();
      m.read("source", lib.source);
      lib.hash = m.require("hash").text();
      lib.where = item.where();
      out.push_back(std::move(lib));
    }
  return out;
}

void write_lock_file(const std::string& path, const std::vector<LockedLibrary>& libraries) {
  auto quote = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return q + "\"";
  };
  std::string text =
      "# qtrader.lock: written by `qtrader lib lock`. Keep it with the backtest; a run refuses a\n"
      "# library whose content no longer matches its hash (qtrader run --allow-unlocked overrides).\n";
  text += libraries.empty() ? "libraries: []\n" : "libraries:\n";
  for (const auto& lib : libraries)
    text += fmt::format("  - name: {}\n    version: {}\n    source: {}\n    hash: {}\n", lib.name,
                        quote(lib.version), quote(lib.source), lib.hash);
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", temp));
  }
  fs::rename(temp, path);
}

}  // namespace qtrader
