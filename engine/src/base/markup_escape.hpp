// Text placed in HTML or XML markup (a page title, a JUnit attribute): the
// four characters that could end or open markup in text or a double-quoted attribute.
#pragma once

#include <string>
#include <string_view>

namespace qtrader {

inline std::string markup_escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace qtrader
