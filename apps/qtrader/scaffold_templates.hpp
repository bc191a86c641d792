// The files `qtrader new` writes (apps/qtrader/templates/, embedded by
// cmake/EmbedText.cmake). {{NAME}} stands for the new script's or library's
// name, {{STRATEGY}} for a library's example strategy.
#pragma once

#include <string_view>

namespace qtrader::scaffold {
extern const std::string_view kStrategy;      // templates/strategy.lua
extern const std::string_view kStrategyTest;  // templates/strategy_test.lua
extern const std::string_view kRisk;          // templates/risk.lua
extern const std::string_view kRiskTest;      // templates/risk_test.lua
extern const std::string_view kLibManifest;   // templates/lib.yaml
extern const std::string_view kLibReadme;     // templates/lib_readme.md
}  // namespace qtrader::scaffold
