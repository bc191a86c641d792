// What `qtrader test [LIB_OR_FOLDER]` runs: the `*_test.lua` files under the
// target (or the one file given), and the library folder whose scripts the
// tests run (the target, or its parent when the target is a `tests` folder).
#pragma once

#include <string>
#include <vector>

namespace qtrader::testkit {

struct TestTarget {
  std::string library;             // the scripts' folder
  std::vector<std::string> files;  // sorted, as paths under the target as given
};

// Throws std::invalid_argument when the target does not exist or holds no
// test file. Hidden folders and node_modules are not searched.
TestTarget discover_tests(const std::string& target);

}  // namespace qtrader::testkit
