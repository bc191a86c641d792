#include "store/compact_keys.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

namespace qtrader::compact_keys {

namespace {

// Never reorder or reuse a letter: files written with one table are read
// with it (docs/architecture.md "Event store").
constexpr std::array<std::pair<char, std::string_view>, 24> kKeys{{
    {'a', "signal_id"},      {'b', "intention"},   {'c', "price"},         {'d', "confidence"},
    {'e', "stop_loss"},      {'f', "take_profit"}, {'g', "tag"},           {'h', "quantity"},
    {'i', "order_type"},     {'j', "tif"},         {'k', "limit_price"},   {'l', "stop_price"},
    {'m', "trail_amount"},   {'n', "trail_percent"}, {'o', "expiry"},      {'p', "order_id"},
    {'q', "side"},           {'r', "parent_id"},   {'s', "end_of_data"},   {'t', "reason"},
    {'u', "status"},         {'v', "filled_quantity"}, {'w', "remaining_quantity"}, {'x', "commission"},
}};

std::string_view name_of(char code) noexcept {
  for (const auto& [c, name] : kKeys)
    if (c == code) return name;
  return {};
}

char code_of(std::string_view key) noexcept {
  for (const auto& [code, name] : kKeys)
    if (name == key) return code;
  return 0;
}

}  // namespace

bool shortened(EventType type) noexcept {
  return type == EventType::Signal || type == EventType::Order || type == EventType::OrderRejected ||
         type == EventType::OrderUpdate || type == EventType::Fill;
}

namespace {

// Copies a flat JSON object, each key through `map` (which appends it, quotes
// included), strings and numbers unchanged.
template <class MapKey>
void rewrite_keys(std::string_view json, std::string& out, MapKey map) {
  std::size_t i = 0;
  const std::size_t n = json.size();
  while (i < n) {
    const char c = json[i];
    if ((c == '{' || c == ',') && i + 1 < n && json[i + 1] == '"') {
      out.push_back(c);
      ++i;
      // A key: no escapes in the keys the engine writes.
      const std::size_t end = json.find('"', i + 1);
      if (end == std::string_view::npos) {
        out.append(json.substr(i));
        return;
      }
      map(json.substr(i + 1, end - i - 1), out);
      i = end + 1;
      continue;
    }
    if (c == '"') {  // a string value, escapes included
      const std::size_t start = i++;
      while (i < n && json[i] != '"') i += json[i] == '\\' ? 2 : 1;
      ++i;
      out.append(json.substr(start, std::min(i, n) - start));
      continue;
    }
    out.push_back(c);
    ++i;
  }
}

void quoted(std::string_view key, std::string& out) {
  out.push_back('"');
  out.append(key);
  out.push_back('"');
}

}  // namespace

void shorten(std::string_view json, std::string& out) {
  rewrite_keys(json, out, [](std::string_view key, std::string& o) {
    const char code = code_of(key);
    quoted(code ? std::string_view(&code, 1) : key, o);
  });
}

void expand(std::string_view json, std::string& out) {
  rewrite_keys(json, out, [](std::string_view key, std::string& o) {
    const std::string_view name = key.size() == 1 ? name_of(key[0]) : std::string_view();
    quoted(name.empty() ? key : name, o);
  });
}

std::string expand_sql(std::string_view column) {
  std::string sql(column);
  for (const auto& [code, name] : kKeys) sql = fmt::format("replace({},'\"{}\":','\"{}\":')", sql, code, name);
  return sql;
}

}  // namespace qtrader::compact_keys
