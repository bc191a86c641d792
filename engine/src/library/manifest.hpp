// qtrader-lib.yaml: what makes a folder of scripts a library (docs/libraries.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "library/semver.hpp"
#include "qtrader/config.hpp"

namespace qtrader {

inline constexpr const char* kManifestFile = "qtrader-lib.yaml";
// Namespaces no library may take: the built-ins', and that of folders without a manifest.
inline constexpr const char* kBuiltinNamespace = "qtrader";
inline constexpr const char* kLocalNamespace = "local";

struct LibraryRequirement {
  std::string name;
  VersionRange range;
  SourceLocation where;
};

struct LibraryManifest {
  std::string path;  // of qtrader-lib.yaml
  std::string name;
  Version version;
  std::string description;
  std::string license;
  std::optional<VersionRange> qtrader;  // the qtrader versions it runs on; none: any
  SourceLocation qtrader_where;
  std::vector<LibraryRequirement> requires_;  // in file order
};

// Reads `folder`/qtrader-lib.yaml. ConfigError (file, line, key) on anything wrong.
LibraryManifest read_manifest(const std::string& folder);

// A library name: lower-case letters, digits and '_', starting with a letter
// (a dot would split a qualified script name), not "qtrader" nor "local".
// Returns why not, or "" when it is one.
std::string library_name_problem(const std::string& name);

// This build's version (CMake's project version).
const Version& qtrader_version();

}  // namespace qtrader
