// Where libraries are installed, and installing, listing and removing them
// (`qtrader lib add|list|remove|info`; docs/libraries.md).
#pragma once

#include <string>
#include <vector>

#include "library/manifest.hpp"

namespace qtrader {

// $XDG_DATA_HOME/qtrader/libraries, else $HOME/.local/share/qtrader/libraries.
std::string user_library_dir();
// <base>/qtrader_libs: a project's own libraries, next to its backtests.
std::string project_library_dir(const std::string& base);
inline constexpr const char* kProjectLibraryFolder = "qtrader_libs";
// Written into an installed library: where it came from (hidden, so not part of its content).
inline constexpr const char* kInstallRecord = ".qtrader-install.yaml";

struct InstalledLibrary {
  std::string path;  // the library's folder
  LibraryManifest manifest;
  std::string source;  // the folder or repository it was installed from ("" when unknown)
  std::string ref;     // the git ref asked for
  std::string commit;  // the commit a clone checked out
};

// Every library (subfolder with a manifest) of `dir`, by name. A subfolder
// whose manifest is wrong is left out and its error added to `problems`.
std::vector<InstalledLibrary> installed_libraries(const std::string& dir,
                                                  std::vector<std::string>* problems = nullptr);
// One subfolder of an installed-libraries folder, read as installed_libraries does.
InstalledLibrary read_installed_library(const std::string& folder);

// Installs `spec` into `dir`/<name>: a folder is copied (hidden files left
// out); a git repository (a folder holding .git, a file:// URL or a path
// ending in .git), optionally as SPEC@REF, is cloned and checked out at REF.
// Throws ConfigError for a bad manifest, std::runtime_error otherwise (the
// library is already installed, git failed, ...). `replace`: an installed
// library of the same name is replaced instead.
InstalledLibrary install_library(const std::string& spec, const std::string& dir, bool replace = false);

// Removes `dir`/<name>; false when no library of that name is installed there.
bool remove_library(const std::string& name, const std::string& dir);

}  // namespace qtrader
