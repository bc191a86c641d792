#include "config/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unordered_map>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "base/regular_file.hpp"
#include "config/name_rules.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader::config_detail {

namespace fs = std::filesystem;

namespace {

int one_based(const YAML::Mark& mark, int fallback) {
  return mark.is_null() || mark.line < 0 ? fallback : mark.line + 1;
}

// YAML 1.2 core-schema numbers in decimal notation: [-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?
// Hex, octal, .inf and .nan are deliberately not numbers here.
bool is_decimal_number(std::string_view s, bool& is_integer) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t whole = digits();
  std::size_t fraction = 0;
  bool has_point = false;
  if (i < s.size() && s[i] == '.') {
    has_point = true;
    ++i;
    fraction = digits();
  }
  if (whole == 0 && fraction == 0) return false;
  bool has_exponent = false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    has_exponent = true;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  is_integer = !has_point && !has_exponent;
  return i == s.size();
}

std::optional<double> to_double(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);  // from_chars rejects a leading '+'
  double v = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// YAML 1.2 core-schema booleans; yes/no/on/off are strings, not booleans.
std::optional<bool> to_bool(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

std::string join(std::span<const std::string_view> names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string join(KeyList names) { return join({names.begin(), names.size()}); }

std::string unknown_key_reason(std::string_view key, std::span<const std::string_view> allowed) {
  std::string reason =
      "unknown key '" + std::string(key) + "' (expected one of: " + join(allowed) + ")";
  std::string_view best;
  std::size_t best_distance = 3;  // suggest only near misses
  for (auto candidate : allowed) {
    const std::size_t d = edit_distance(key, candidate);
    if (d < best_distance) best = candidate, best_distance = d;
  }
  if (!best.empty()) reason += "; did you mean '" + std::string(best) + "'?";
  return reason;
}


// yaml-cpp 0.7 never returns from a document whose first token is a ','
// (`, x`, `  , a: 1`, `---\n, b`): it allocates nodes until memory runs out
// (found by fuzz/yaml_config_fuzzer). The 1-based line of such a ',', or 0.
int comma_opening_a_document(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  bool at_start = true;  // no token of the current document seen yet
  for (int number = 1; std::getline(in, line); ++number) {
    std::string_view rest(line);
    if (rest.starts_with("---") || rest.starts_with("...")) {
      at_start = true;
      rest.remove_prefix(3);
    } else if (at_start && rest.starts_with('%')) {
      continue;  // a directive
    }
    if (!at_start) continue;
    auto first = rest.find_first_not_of(" \t\r");
    // A node's tag (`!x`) and anchor (`&a`) come before its first token.
    while (first != std::string_view::npos && (rest[first] == '!' || rest[first] == '&')) {
      const auto end = rest.find_first_of(" \t\r,", first);
      first = end == std::string_view::npos ? end : rest.find_first_not_of(" \t\r", end);
    }
    if (first == std::string_view::npos || rest[first] == '#') continue;
    if (rest[first] == ',') return number;
    at_start = false;
  }
  return 0;
}

// Counts the documents of a file without building them. yaml-cpp 0.7's
// LoadAll never returns when a ',' follows a finished top-level node that is
// not a block mapping (`- a\n, b`, `"x",`, `[a]\n, b`): each round yields
// one more empty document without consuming the comma, until memory runs out
// (found by fuzz/yaml_config_fuzzer). Asking for at most two documents
// bounds that; a second one, real or not, is refused at its line.
class DocumentCounter : public YAML::EventHandler {
 public:
  int documents = 0;
  YAML::Mark second;
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents == 2) second = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

// ---- YamlValue -------------------------------------------------------------------

YamlValue::YamlValue(std::shared_ptr<const std::string> file, const YAML::Node& node, std::string key,
                     int line)
    : file_(std::move(file)), node_(node), key_(std::move(key)), line_(line) {}

void YamlValue::fail(const std::string& reason) const {
  throw ConfigError(*file_, line_, key_, reason);
}

bool YamlValue::is_quoted() const noexcept {
  // yaml-cpp tags plain scalars "?" and quoted ones "!"; anything else was tagged explicitly.
  return node_.IsScalar() && node_.Tag() != "?";
}

std::string YamlValue::describe() const {
  if (node_.IsScalar())
    return is_quoted() ? "\"" + node_.Scalar() + "\"" : "'" + node_.Scalar() + "'";
  if (node_.IsSequence()) return "a list";
  if (node_.IsMap()) return "a mapping";
  return "nothing";
}

std::string YamlValue::child_key(std::string_view name) const {
  return key_.empty() ? std::string(name) : key_ + "." + std::string(name);
}

std::string YamlValue::item_key(std::size_t index) const {
  return key_ + "[" + std::to_string(index) + "]";
}

std::string YamlValue::text() const {
  if (!node_.IsScalar()) fail("expected a string, got " + describe());
  if (node_.Scalar().empty()) fail("expected a non-empty string");
  return node_.Scalar();
}

double YamlValue::number(Range range) const {
  bool is_integer = false;
  std::optional<double> v;
  if (node_.IsScalar() && !is_quoted() && is_decimal_number(node_.Scalar(), is_integer))
    v = to_double(node_.Scalar());
  if (!v) fail("expected a number, got " + describe());
  if (range == Range::NonNegative && !(*v >= 0.0)) fail("must be >= 0, got " + describe());
  if (range == Range::Positive && !(*v > 0.0)) fail("must be > 0, got " + describe());
  return *v;
}

int YamlValue::integer(Range range) const {
  bool is_integer = false;
  if (!node_.IsScalar() || is_quoted() || !is_decimal_number(node_.Scalar(), is_integer) ||
      !is_integer)
    fail("expected an integer, got " + describe());
  const double v = number(range);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
    fail("integer out of range: " + describe());
  return static_cast<int>(v);
}

bool YamlValue::boolean() const {
  std::optional<bool> v;
  if (node_.IsScalar() && !is_quoted()) v = to_bool(node_.Scalar());
  if (!v) fail("expected true or false, got " + describe());
  return *v;
}

std::string YamlValue::choice(KeyList allowed) const {
  if (!node_.IsScalar()) fail("expected one of: " + join(allowed) + "; got " + describe());
  const std::string& s = node_.Scalar();
  if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
    fail("expected one of: " + join(allowed) + "; got " + describe());
  return s;
}

std::size_t YamlValue::choice_index(std::span<const char* const> names) const {
  auto expected = [&] {
    std::string list;
    for (const char* n : names) list += (list.empty() ? "" : ", ") + std::string(n);
    return "expected one of: " + list + "; got " + describe();
  };
  if (!node_.IsScalar()) fail(expected());
  for (std::size_t i = 0; i < names.size(); ++i)
    if (node_.Scalar() == names[i]) return i;
  fail(expected());
}

Timestamp YamlValue::date() const {
  std::optional<Timestamp> ts;
  if (node_.IsScalar()) ts = parse_date(node_.Scalar());
  if (!ts) fail("expected a date YYYY-MM-DD, got " + describe());
  return *ts;
}

std::vector<YamlValue> YamlValue::items() const {
  std::vector<YamlValue> out;
  if (node_.IsNull()) return out;
  if (!node_.IsSequence()) fail("expected a list, got " + describe());
  std::size_t i = 0;
  for (const YAML::Node& item : node_) {
    out.emplace_back(file_, item, item_key(i), one_based(item.Mark(), line_));
    ++i;
  }
  return out;
}

std::vector<std::string> YamlValue::texts() const {
  std::vector<std::string> out;
  for (const YamlValue& item : items()) out.push_back(item.text());
  return out;
}

std::vector<std::pair<std::string, YamlValue>> YamlValue::entries() const {
  std::vector<std::pair<std::string, YamlValue>> out;
  if (node_.IsNull()) return out;
  if (!node_.IsMap()) fail("expected a mapping, got " + describe());
  std::unordered_map<std::string, int> first_line;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const int key_line = one_based(it->first.Mark(), line_);
    if (!it->first.IsScalar() || it->first.Scalar().empty())
      throw ConfigError(*file_, key_line, key_, "mapping keys must be plain names");
    const std::string& name = it->first.Scalar();
    // yaml-cpp 0.7 keeps both entries of a repeated key; YAML says keys are unique.
    const auto [seen, inserted] = first_line.emplace(name, key_line);
    if (!inserted)
      throw ConfigError(*file_, key_line, child_key(name),
                        "duplicate key '" + name + "' (first given at line " +
                            std::to_string(seen->second) + ")");
    // An entry's line is its key's: a null or block value's own mark points elsewhere.
    out.emplace_back(name, YamlValue(file_, it->second, child_key(name), key_line));
  }
  return out;
}

YamlMap YamlValue::map(KeyList allowed) const { return map(allowed, {}); }

YamlMap YamlValue::map(KeyList allowed, KeyList also_allowed) const {
  std::vector<std::string_view> keys(allowed.begin(), allowed.end());
  keys.insert(keys.end(), also_allowed.begin(), also_allowed.end());
  auto all = entries();
  for (const auto& [name, value] : all)
    if (std::find(keys.begin(), keys.end(), name) == keys.end())
      value.fail(unknown_key_reason(name, keys));
  return YamlMap(*this, std::move(all));
}

YamlMap YamlValue::free_map() const { return YamlMap(*this, entries()); }

ParamValue YamlValue::param() const {
  ParamValue p;
  p.where = where();
  if (node_.IsSequence()) {
    p.kind = ParamValue::Kind::List;
    for (const YamlValue& item : items()) p.list.push_back(item.param());
    return p;
  }
  if (node_.IsMap()) {
    p.kind = ParamValue::Kind::Map;
    for (const auto& [name, value] : entries()) p.map.emplace_back(name, value.param());
    return p;
  }
  if (!node_.IsScalar())
    fail("expected a number, true/false, a string, a list or a mapping, got " + describe());
  const std::string& s = node_.Scalar();
  bool is_integer = false;
  if (!is_quoted()) {
    if (const auto b = to_bool(s)) {
      p.kind = ParamValue::Kind::Bool;
      p.boolean = *b;
      return p;
    }
    if (is_decimal_number(s, is_integer)) {
      const auto v = to_double(s);
      if (!v) fail("number out of range: " + describe());
      p.kind = ParamValue::Kind::Number;
      p.number = *v;
      p.is_integer = is_integer;
      return p;
    }
  }
  p.kind = ParamValue::Kind::String;
  p.text = s;
  return p;
}

ParamMap YamlValue::params() const {
  ParamMap out;
  for (const auto& [name, value] : entries()) out.emplace_back(name, value.param());
  return out;
}

// ---- YamlMap ---------------------------------------------------------------------

bool YamlMap::has(std::string_view key) const { return get(key).has_value(); }

std::optional<YamlValue> YamlMap::get(std::string_view key) const {
  for (const auto& [name, value] : entries_)
    if (name == key) return value;
  return std::nullopt;
}

YamlValue YamlMap::require(std::string_view key) const {
  auto v = get(key);
  if (!v)
    throw ConfigError(self_.file(), self_.line(), self_.child_key(key),
                      "missing required key '" + std::string(key) + "'");
  return *v;
}

YamlMap YamlMap::section(std::string_view key, KeyList allowed) const {
  if (auto v = get(key)) return v->map(allowed);
  // Absent: an empty mapping that reports problems at this mapping's line.
  return YamlValue(self_.file_, YAML::Node(), self_.child_key(key), self_.line()).map(allowed);
}

std::string YamlValue::symbol() const {
  std::string name = text();
  if (std::string problem = symbol_name_problem(name); !problem.empty())
    fail(fmt::format("symbol '{}': {}", printable(name), problem));
  return name;
}

void YamlMap::read(std::string_view key, std::string& out) const {
  if (auto v = get(key)) out = v->text();
}
void YamlMap::read(std::string_view key, bool& out) const {
  if (auto v = get(key)) out = v->boolean();
}
void YamlMap::read(std::string_view key, double& out, Range range) const {
  if (auto v = get(key)) out = v->number(range);
}
void YamlMap::read(std::string_view key, int& out, Range range) const {
  if (auto v = get(key)) out = v->integer(range);
}
void YamlMap::read_choice(std::string_view key, std::string& out, KeyList allowed) const {
  if (auto v = get(key)) out = v->choice(allowed);
}

// ---- files -----------------------------------------------------------------------

void check_expanded_size(const YAML::Node& root, const std::string& file,
                         const std::string& root_key, int root_line) {
  // Every node counted is kept (node, parent, how the parent names it) and its
  // key is spelled only for the error: a self-referencing alias makes the graph
  // a cycle, and keys copied into each pending node grew quadratically with
  // its depth (2 GB from a 400-byte file). Counting at push time bounds the
  // memory by the cap, however wide a node is.
  struct Seen {
    YAML::Node node;
    std::size_t parent;   // index into `seen`; npos for the root
    std::string name;     // ".key" or "[i]"; empty for a mapping's key node
    std::size_t depth;
  };
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::vector<Seen> seen;
  seen.reserve(64);
  std::vector<std::size_t> pending;
  const auto key_of = [&](std::size_t parent, const std::string& name) {
    std::vector<const std::string*> parts{&name};
    for (std::size_t i = parent; i != npos; i = seen[i].parent) parts.push_back(&seen[i].name);
    std::string key = root_key;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) key += **it;
    if (!key.empty() && key.front() == '.') key.erase(0, 1);
    return key;
  };
  const auto add = [&](const YAML::Node& node, std::size_t parent, std::string name) {
    const std::size_t depth = parent == npos ? 0 : seen[parent].depth + 1;
    if (depth > kMaxYamlNesting)
      throw ConfigError(file, one_based(node.Mark(), root_line), key_of(parent, ""),
                        fmt::format("the YAML nests more than {} levels deep (an alias inside "
                                    "its own anchor?)", kMaxYamlNesting));
    if (seen.size() >= kMaxExpandedYamlNodes)
      throw ConfigError(file, one_based(node.Mark(), root_line), key_of(parent, name),
                        fmt::format("the YAML expands to more than {} values (aliases of aliases?)",
                                    kMaxExpandedYamlNodes));
    seen.push_back({node, parent, std::move(name), depth});
    pending.push_back(seen.size() - 1);
  };
  add(root, npos, "");
  while (!pending.empty()) {
    const std::size_t i = pending.back();
    pending.pop_back();
    const YAML::Node node = seen[i].node;
    if (node.IsSequence()) {
      for (std::size_t k = 0; k < node.size(); ++k) add(node[k], i, fmt::format("[{}]", k));
    } else if (node.IsMap()) {
      for (const auto& kv : node) {
        add(kv.first, i, "");
        add(kv.second, i, "." + (kv.first.IsScalar() ? kv.first.Scalar() : std::string("?")));
      }
    }
  }
}

YamlValue load_yaml_file(const std::string& path) {
  if (const std::string problem = not_a_regular_file(path); !problem.empty())
    throw ConfigError(path, 0, "", problem == "does not exist" ? "file not found" : problem);
  if (const int line = comma_opening_a_document(path); line > 0)
    throw ConfigError(path, line, "", "YAML syntax error: a ',' outside [ ] or { } before any value");
  YAML::Node root;
  try {
    std::ifstream counted(path, std::ios::binary);
    if (!counted) throw YAML::BadFile(path);
    YAML::Parser parser(counted);
    DocumentCounter counter;
    while (counter.documents < 2 && parser.HandleNextDocument(counter)) {
    }
    if (counter.documents > 1) {
      std::ifstream at(path, std::ios::binary);
      at.seekg(counter.second.pos);
      if (at.get() == ',')
        throw ConfigError(path, one_based(counter.second, 0), "",
                          "YAML syntax error: a ',' outside [ ] or { } after the document's value");
      throw ConfigError(path, one_based(counter.second, 0), "", "more than one YAML document in the file");
    }
    root = YAML::LoadFile(path);  // the first document only
  } catch (const YAML::BadFile&) {
    throw ConfigError(path, 0, "", "cannot read file");
  } catch (const YAML::Exception& e) {
    throw ConfigError(path, one_based(e.mark, 0), "", "YAML syntax error: " + e.msg);
  }
  auto file = std::make_shared<const std::string>(path);
  check_expanded_size(root, path, "", 1);
  return YamlValue(std::move(file), root, "", one_based(root.Mark(), 1));
}

std::string resolve_against(const std::string& config_file, const std::string& relative) {
  fs::path p(relative);
  if (p.is_relative()) p = fs::absolute(fs::path(config_file)).parent_path() / p;
  return p.lexically_normal().string();
}

std::string join_names(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace qtrader::config_detail
