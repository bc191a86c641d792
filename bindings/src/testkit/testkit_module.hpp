#pragma once

#include <string_view>

namespace qtrader {
// The test kit's Lua module (testkit.lua, embedded by cmake/EmbedText.cmake):
// run as a sandboxed chunk with the backtest runner as its argument, it
// returns the table require("qtrader.testkit") gives a test file.
extern const std::string_view kTestkitModule;
}  // namespace qtrader
