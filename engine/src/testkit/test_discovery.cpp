#include "testkit/test_discovery.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace qtrader::testkit {

namespace fs = std::filesystem;

namespace {

bool is_test_file(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 9 && name.ends_with("_test.lua");
}

std::string library_of(const fs::path& folder) {
  fs::path f = folder.empty() ? fs::path(".") : folder;
  if (f.filename() == "tests" && f.has_parent_path()) return f.parent_path().string();
  if (f.filename() == "tests") return ".";
  return f.string();
}

}  // namespace

TestTarget discover_tests(const std::string& target_text) {
  const fs::path target(target_text.empty() ? "." : target_text);
  std::error_code ec;
  TestTarget t;
  if (fs::is_regular_file(target, ec)) {
    if (!is_test_file(target)) throw std::invalid_argument(target.string() + ": not a test file (NAME_test.lua)");
    t.library = library_of(target.parent_path());
    t.files.push_back(target.string());
    return t;
  }
  if (!fs::is_directory(target, ec)) throw std::invalid_argument(target.string() + ": no such file or folder");
  t.library = library_of(target.lexically_normal().string() == "." ? target : target.lexically_normal());
  for (auto it = fs::recursive_directory_iterator(target, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory(ec) && (name.starts_with(".") || name == "node_modules")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && is_test_file(it->path())) t.files.push_back(it->path().string());
  }
  std::sort(t.files.begin(), t.files.end());
  if (t.files.empty()) throw std::invalid_argument(target.string() + ": no test files (*_test.lua) in this folder");
  return t;
}

}  // namespace qtrader::testkit
