#include "config/name_rules.hpp"

#include <fmt/format.h>

namespace qtrader::config_detail {

namespace {

bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

constexpr std::size_t kMaxNameLength = 64;

// The first character of `name` not in `allowed` (plus letters and digits), described.
std::string bad_character(std::string_view name, std::string_view allowed) {
  for (const char c : name) {
    if (ascii_alnum(c) || allowed.find(c) != std::string_view::npos) continue;
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) return fmt::format("byte 0x{:02X}", byte);
    return fmt::format("'{}'", c);
  }
  return {};
}

}  // namespace

std::string symbol_name_problem(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength)
    return fmt::format("a symbol has 1 to {} characters", kMaxNameLength);
  if (std::string c = bad_character(name, "._-^=@#$&!+"); !c.empty())
    return fmt::format("a symbol may hold letters, digits and . _ - ^ = @ # $ & ! + only, not {}", c);
  if (name.front() == '.') return "a symbol may not start with '.'";
  return {};
}

std::string strategy_id_problem(std::string_view id) {
  if (id.empty() || id.size() > kMaxNameLength)
    return fmt::format("a strategy_id has 1 to {} characters", kMaxNameLength);
  if (std::string c = bad_character(id, "_-."); !c.empty())
    return fmt::format("a strategy_id may hold letters, digits, _ - and . only, not {}", c);
  if (id.front() == '-' || id.front() == '.') return "a strategy_id starts with a letter, a digit or _";
  return {};
}

std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) out += fmt::format("\\x{:02X}", byte);
    else out += c;
  }
  return out;
}

}  // namespace qtrader::config_detail
