#include "library/library_store.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "config/yaml_reader.hpp"
#include "library/process.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

bool hidden_name(const fs::path& p) {
  const std::string s = p.filename().string();
  return !s.empty() && s[0] == '.';
}

// A folder's contents without hidden files and folders.
void copy_visible(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& e : fs::directory_iterator(from)) {
    if (hidden_name(e.path())) continue;
    if (e.is_directory()) copy_visible(e.path(), to / e.path().filename());
    else if (e.is_regular_file()) fs::copy_file(e.path(), to / e.path().filename());
  }
}

bool looks_like_git(const std::string& source) {
  return source.find("://") != std::string::npos || source.rfind("git@", 0) == 0 ||
         (source.size() > 4 && source.compare(source.size() - 4, 4, ".git") == 0) ||
         fs::exists(fs::path(source) / ".git");
}

// Runs `git ARGS`; `what` names the step in the error ("git clone failed: ...").
std::string git(const char* what, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  const ProcessResult r = run_process(argv);
  if (r.status != 0) {
    std::string out = r.output;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    throw std::runtime_error(fmt::format("git {} failed{}{}", what, out.empty() ? "" : ": ", out));
  }
  return r.output;
}

// Removes the temporary folder an install works in, whatever happens.
struct TempFolder {
  fs::path path;
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void write_install_record(const fs::path& folder, const InstalledLibrary& lib) {
  std::ofstream out(folder / kInstallRecord);
  // Quoted scalars: paths and refs are text whatever they look like.
  auto quote = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return q + "\"";
  };
  out << "# Written by `qtrader lib add`: where this library was installed from.\n";
  out << "source: " << quote(lib.source) << "\n";
  if (!lib.ref.empty()) out << "ref: " << quote(lib.ref) << "\n";
  if (!lib.commit.empty()) out << "commit: " << quote(lib.commit) << "\n";
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", (folder / kInstallRecord).string()));
}

}  // namespace

std::string user_library_dir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg && fs::path(xdg).is_absolute()) return (fs::path(xdg) / "qtrader" / "libraries").string();
  const char* home = std::getenv("HOME");
  return (fs::path(home && *home ? home : ".") / ".local" / "share" / "qtrader" / "libraries").string();
}

std::string project_library_dir(const std::string& base) {
  return (fs::absolute(base) / kProjectLibraryFolder).lexically_normal().string();
}

InstalledLibrary read_installed_library(const std::string& folder) {
  InstalledLibrary lib;
  lib.path = fs::absolute(folder).lexically_normal().string();
  lib.manifest = read_manifest(lib.path);
  const fs::path record = fs::path(lib.path) / kInstallRecord;
  if (fs::exists(record)) {
    const auto m = config_detail::load_yaml_file(record.string()).map({"source", "ref", "commit"});
    m.read("source", lib.source);
    m.read("ref", lib.ref);
    m.read("commit", lib.commit);
  }
  return lib;
}

std::vector<InstalledLibrary> installed_libraries(const std::string& dir, std::vector<std::string>* problems) {
  std::vector<InstalledLibrary> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> folders;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_directory() && !hidden_name(e.path()) && fs::exists(e.path() / kManifestFile)) folders.push_back(e.path());
  std::sort(folders.begin(), folders.end());
  for (const auto& f : folders) {
    try {
      out.push_back(read_installed_library(f.string()));
    } catch (const std::exception& e) {
      if (problems) problems->push_back(e.what());
    }
  }
  return out;
}

InstalledLibrary install_library(const std::string& spec, const std::string& dir, bool replace) {
  InstalledLibrary lib;
  lib.source = spec;
  // SPEC@REF; the '@' of an ssh URL's "git@" is not a ref's.
  const auto at = spec.rfind('@');
  if (!fs::exists(spec) && at != std::string::npos && at > 0 && !(spec.rfind("git@", 0) == 0 && at == 3)) {
    lib.source = spec.substr(0, at);
    lib.ref = spec.substr(at + 1);
  }
  const bool is_git = looks_like_git(lib.source);
  if (!is_git && !fs::is_directory(lib.source))
    throw std::runtime_error(fmt::format("'{}' is not a folder nor a git repository", lib.source));
  if (!is_git && !lib.ref.empty())
    throw std::runtime_error(fmt::format("'{}' is not a git repository: @{} needs one", lib.source, lib.ref));
  if (fs::exists(lib.source)) lib.source = fs::absolute(lib.source).lexically_normal().string();

  fs::create_directories(dir);
  TempFolder temp{fs::path(dir) / fmt::format(".installing-{}", ::getpid())};
  fs::remove_all(temp.path);
  if (is_git) {
    git("clone", {"clone", "--quiet", "--", lib.source, temp.path.string()});
    if (!lib.ref.empty())
      git("checkout", {"-C", temp.path.string(), "-c", "advice.detachedHead=false", "checkout", "--quiet", lib.ref, "--"});
    lib.commit = git("rev-parse", {"-C", temp.path.string(), "rev-parse", "HEAD"});
    while (!lib.commit.empty() && (lib.commit.back() == '\n' || lib.commit.back() == '\r')) lib.commit.pop_back();
    fs::remove_all(temp.path / ".git");  // an installed library is not a working copy
  } else {
    copy_visible(lib.source, temp.path);
  }
  if (!fs::exists(temp.path / kManifestFile))
    throw std::runtime_error(fmt::format("{} has no {}: a library is a folder with a manifest "
                                         "(docs/libraries.md)", spec, kManifestFile));
  try {
    lib.manifest = read_manifest(temp.path.string());
  } catch (const ConfigError& e) {  // name the file the user has, not the temporary copy
    throw ConfigError(is_git ? spec + ":" + kManifestFile : (fs::path(lib.source) / kManifestFile).string(),
                      e.line(), e.key(), e.reason());
  }
  const fs::path target = fs::path(dir) / lib.manifest.name;
  if (fs::exists(target)) {
    if (!replace) {
      std::string installed = "another version";
      try {
        installed = "version " + read_manifest(target.string()).version.text();
      } catch (const std::exception&) {
      }
      throw std::runtime_error(fmt::format("library '{}' is already installed at {} ({}); remove it first "
                                           "(qtrader lib remove {}) or add --force",
                                           lib.manifest.name, target.string(), installed, lib.manifest.name));
    }
    fs::remove_all(target);
  }
  write_install_record(temp.path, lib);
  fs::rename(temp.path, target);
  lib.path = target.string();
  lib.manifest.path = (target / kManifestFile).string();
  return lib;
}

bool remove_library(const std::string& name, const std::string& dir) {
  const fs::path target = fs::path(dir) / name;
  if (name.empty() || !library_name_problem(name).empty() || !fs::exists(target / kManifestFile)) return false;
  fs::remove_all(target);
  return true;
}

}  // namespace qtrader
