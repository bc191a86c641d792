// Fixed parts of report.html. They live in assets/ as plain CSS and JS, so that
// their own tools can check them (tests/report_js), and are compiled in by
// cmake/EmbedText.cmake.
//
// Data reaches the page only as JSON in a <script type="application/json">
// block and is written with textContent, never as HTML, so no value of a run
// can inject markup.
#pragma once

#include <string_view>

namespace qtrader::report {

extern const std::string_view kPageStyle;  // assets/report.css
// assets/error_trap.js, first in <head>: runs before anything else so that any
// later script error is visible, both to a reader (a red banner) and to tests
// (data-script-error on <html>).
extern const std::string_view kErrorTrap;
extern const std::string_view kPageScript;  // assets/report.js, renders the embedded data
// TradingView Lightweight Charts (Apache-2.0), node_modules/lightweight-charts'
// standalone build: the build fails without it (engine/CMakeLists.txt).
extern const std::string_view kChartLibrary;

}  // namespace qtrader::report
