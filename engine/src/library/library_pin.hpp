// A backtest's `libraries:` entry, "mylib@^1.2" (or "mylib": any version).
#pragma once

#include <string>

#include "library/semver.hpp"

namespace qtrader {

struct LibraryPin {
  std::string name;
  VersionRange range;
};

// std::invalid_argument saying what is wrong with `text`.
LibraryPin parse_library_pin(const std::string& text);

}  // namespace qtrader
