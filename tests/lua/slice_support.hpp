// Helpers of the on_slice tests (tests/lua/slice_test.cpp and the threats
// of tests/sandbox/slice_threat_test.cpp): strategy files written to a
// folder, two symbols' bars of a day, the messages a script logged.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "lua_test_doubles.hpp"
#include "temp_dir.hpp"

namespace qtrader::test::slice {

constexpr Timestamp kDay = 86'400'000'000'000LL;

// A strategy file in `dir` whose body is `code` after a header.
inline std::string write_script(const TempDir& dir, const std::string& name, const std::string& code) {
  const std::string path = (dir / (name + ".lua")).string();
  std::ofstream(path) << "local S = { name = \"" << name << "\", kind = \"strategy\" }\n" << code << "\nreturn S\n";
  return path;
}

// Two symbols' bars of day `d` (closes 10+d and 20+d), fed to ctx's SMAs first.
inline std::vector<Bar> day(TestStrategyContext& ctx, int d) {
  std::vector<Bar> bars{make_bar(0, d * kDay, 1, 2, 0.5, 10 + d, 100 + d),
                        make_bar(1, d * kDay, 3, 4, 2.5, 20 + d, 200 + d)};
  for (const Bar& b : bars) ctx.feed(b);
  return bars;
}

// What the script logged, without the "file:line: " prefix.
inline std::vector<std::string> messages(const TestStrategyContext& ctx) {
  std::vector<std::string> out;
  for (const auto& [level, text] : ctx.logs) out.push_back(text.substr(text.find(": ") + 2));
  return out;
}

}  // namespace qtrader::test::slice
