// Fixed parts of report.html (see page_assets.cpp).
#pragma once

namespace qtrader::report {

extern const char* const kPageStyle;   // CSS
extern const char* const kErrorTrap;   // JS, first in <head>
extern const char* const kPageScript;  // JS, renders the embedded data

}  // namespace qtrader::report
