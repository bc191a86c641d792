#include "library/library_pin.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "library/manifest.hpp"

namespace qtrader {

LibraryPin parse_library_pin(const std::string& text) {
  const auto at = text.find('@');
  const std::string name = text.substr(0, at);
  if (const std::string why = library_name_problem(name); !why.empty()) throw std::invalid_argument(why);
  std::string why;
  auto range = VersionRange::parse(at == std::string::npos ? "*" : text.substr(at + 1), &why);
  if (!range) throw std::invalid_argument(fmt::format("'{}': {}", text, why));
  return {name, std::move(*range)};
}

}  // namespace qtrader
