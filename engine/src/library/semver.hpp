// Semantic versions (MAJOR.MINOR.PATCH[-PRERELEASE]) and the version ranges a
// library manifest, a backtest's `libraries:` pins and the qtrader range are
// written in (npm's notation: ^1.2, ~1.2.3, >=1.0 <2, 1.x, *, a || b).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qtrader {

struct Version {
  int major = 0, minor = 0, patch = 0;
  std::string prerelease;  // "" for a release; a release sorts after its prereleases
  std::string text() const;
};
// Exactly MAJOR.MINOR.PATCH with an optional -PRERELEASE (build metadata +… ignored).
std::optional<Version> parse_version(std::string_view text);
int compare(const Version& a, const Version& b) noexcept;  // <0, 0, >0

// A set of alternatives ("||"), each a conjunction of comparators.
class VersionRange {
 public:
  // std::nullopt, with `error` saying why, when `text` is not a range.
  static std::optional<VersionRange> parse(std::string_view text, std::string* error = nullptr);
  bool contains(const Version& v) const noexcept;
  const std::string& text() const noexcept { return text_; }

 private:
  struct Bound {
    enum Op { Ge, Gt, Le, Lt, Eq } op;
    Version version;
  };
  std::string text_;
  std::vector<std::vector<Bound>> alternatives_;
};

}  // namespace qtrader
