#include "library/manifest.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "config/yaml_reader.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/version.hpp"

namespace qtrader {

using config_detail::YamlValue;

namespace {

VersionRange range_of(const YamlValue& v) {
  if (!v.is_null() && !v.is_scalar()) v.fail("expected a version range such as ^1.2 or >=1.0 <2");
  std::string why;
  auto range = VersionRange::parse(v.is_null() ? std::string("*") : v.scalar(), &why);
  if (!range) v.fail(why);
  return *range;
}

}  // namespace

std::string library_name_problem(const std::string& name) {
  if (name == kBuiltinNamespace || name == kLocalNamespace)
    return fmt::format("'{}' is reserved (built-in scripts are 'qtrader', folders without a manifest 'local')",
                       name);
  bool ok = !name.empty() && name[0] >= 'a' && name[0] <= 'z';
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    return fmt::format("'{}' is not a library name (lower-case letters, digits and '_', starting with a letter)",
                       name);
  return "";
}

LibraryManifest read_manifest(const std::string& folder) {
  LibraryManifest m;
  m.path = (std::filesystem::path(folder) / kManifestFile).lexically_normal().string();
  const auto root = config_detail::load_yaml_file(m.path).map(
      {"name", "version", "description", "qtrader", "requires", "license"});
  const YamlValue name = root.require("name");
  m.name = name.text();
  if (const std::string why = library_name_problem(m.name); !why.empty()) name.fail(why);
  const YamlValue version = root.require("version");
  const auto v = parse_version(version.text());
  if (!v) version.fail(fmt::format("'{}' is not a version: write MAJOR.MINOR.PATCH, e.g. 1.2.0", version.text()));
  m.version = *v;
  root.read("description", m.description);
  root.read("license", m.license);
  if (const auto q = root.get("qtrader")) {
    m.qtrader = range_of(*q);
    m.qtrader_where = q->where();
  }
  if (const auto req = root.get("requires"))
    for (const auto& [dep, range] : req->free_map().entries()) {
      if (const std::string why = library_name_problem(dep); !why.empty()) range.fail(why);
      if (dep == m.name) range.fail("a library cannot require itself");
      m.requires_.push_back({dep, range_of(range), range.where()});
    }
  return m;
}

const Version& qtrader_version() {
  static const Version v = *parse_version(std::string(version()));
  return v;
}

}  // namespace qtrader
