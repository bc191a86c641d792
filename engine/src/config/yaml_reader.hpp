// A typed, strict reader over yaml-cpp nodes for the configuration loaders.
//
// Every value carries the file, its dotted key path ("strategies[0].universe[1]")
// and its 1-based line, so each conversion can fail with a ConfigError a user can
// act on. Mappings are read against a list of allowed keys: unknown and duplicate
// keys are errors (yaml-cpp 0.7 silently keeps duplicate keys), so a typo never
// falls back to a default. yaml-cpp stays inside engine/src/config.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/types.hpp"

namespace qtrader::config_detail {

class YamlMap;

using KeyList = std::initializer_list<std::string_view>;

// Range checks for numbers, named so loaders read declaratively.
enum class Range { Any, NonNegative, Positive };

class YamlValue {
 public:
  YamlValue(std::shared_ptr<const std::string> file, const YAML::Node& node, std::string key, int line);

  const std::string& file() const noexcept { return *file_; }
  const std::string& key() const noexcept { return key_; }
  int line() const noexcept { return line_; }
  SourceLocation where() const { return {*file_, line_}; }
  [[noreturn]] void fail(const std::string& reason) const;

  bool is_null() const noexcept { return node_.IsNull(); }
  bool is_scalar() const noexcept { return node_.IsScalar(); }
  bool is_quoted() const noexcept;  // a quoted or explicitly tagged scalar: never a number or bool
  const std::string& scalar() const { return node_.Scalar(); }

  // Conversions; each fails naming what was expected and what was found.
  std::string text() const;  // any non-empty scalar
  std::string symbol() const;  // a symbol name (config/name_rules.hpp)
  double number(Range range = Range::Any) const;
  int integer(Range range = Range::Any) const;
  bool boolean() const;
  std::string choice(KeyList allowed) const;
  // One of E's names (names_of<E>), which the error lists when it is not.
  template <class E>
  E choice() const {
    return static_cast<E>(choice_index(names_of<E>()));
  }
  Timestamp date() const;                  // YYYY-MM-DD
  std::vector<YamlValue> items() const;    // a list
  std::vector<std::string> texts() const;  // a list of non-empty scalars
  YamlMap map(KeyList allowed) const;      // a mapping with a fixed set of keys
  YamlMap map(KeyList allowed, KeyList also_allowed) const;  // the keys of both lists
  YamlMap free_map() const;                // a mapping whose keys are names (sources, params)
  ParamValue param() const;
  ParamMap params() const;

  // Paths into this value, for the values it holds.
  std::string child_key(std::string_view name) const;
  std::string item_key(std::size_t index) const;

 private:
  friend class YamlMap;
  std::size_t choice_index(std::span<const char* const> names) const;
  std::string describe() const;  // "'abc'", "a list", "a mapping", "nothing"
  std::vector<std::pair<std::string, YamlValue>> entries() const;  // duplicates rejected

  std::shared_ptr<const std::string> file_;
  YAML::Node node_;
  std::string key_;
  int line_;
};

// A mapping's entries in file order, with typed optional and required look-ups.
// An absent or null mapping is empty; its line is that of the key that named it.
class YamlMap {
 public:
  YamlMap(YamlValue self, std::vector<std::pair<std::string, YamlValue>> entries)
      : self_(std::move(self)), entries_(std::move(entries)) {}

  const YamlValue& self() const noexcept { return self_; }
  const std::vector<std::pair<std::string, YamlValue>>& entries() const& noexcept {
    return entries_;
  }
  // By value on a temporary, so `for (auto& e : v.free_map().entries())` is safe.
  std::vector<std::pair<std::string, YamlValue>> entries() && { return std::move(entries_); }

  bool has(std::string_view key) const;
  std::optional<YamlValue> get(std::string_view key) const;
  YamlValue require(std::string_view key) const;  // "missing required key" otherwise
  // A nested mapping with a fixed set of keys; empty when absent.
  YamlMap section(std::string_view key, KeyList allowed) const;

  // Optional keys: `out` keeps its default when the key is absent.
  void read(std::string_view key, std::string& out) const;
  void read(std::string_view key, bool& out) const;
  void read(std::string_view key, double& out, Range range = Range::Any) const;
  void read(std::string_view key, int& out, Range range = Range::Any) const;
  void read_choice(std::string_view key, std::string& out, KeyList allowed) const;
  template <class E>
  void read_choice(std::string_view key, E& out) const {
    if (auto v = get(key)) out = v->choice<E>();
  }

 private:
  YamlValue self_;
  std::vector<std::pair<std::string, YamlValue>> entries_;
};

// Parses `path` (first and only document). Unreadable files, YAML syntax errors
// and multi-document files become ConfigError; an empty file reads as null.
YamlValue load_yaml_file(const std::string& path);

// Aliases make a YAML document a graph: a 1 KB file of nested `*a` references
// expands to billions of nodes once the loaders copy it into lists and params.
// The readers accept at most this many nodes counted as expanded (each alias
// counted once per use), checked before anything is converted.
inline constexpr std::size_t kMaxExpandedYamlNodes = 200'000;
// An alias inside its own anchor (`a: &a [*a]`) makes the graph a cycle; no
// configuration nests this deep, and the cap keeps the error's key short.
inline constexpr std::size_t kMaxYamlNesting = 64;
// Throws ConfigError(file, line, key of the node where the count passed the cap)
// when `root` expands beyond kMaxExpandedYamlNodes or nests deeper than
// kMaxYamlNesting. Costs at most the cap in steps and memory.
void check_expanded_size(const YAML::Node& root, const std::string& file,
                         const std::string& root_key, int root_line);

// `relative` resolved against the folder of `config_file`, absolute and normalized.
std::string resolve_against(const std::string& config_file, const std::string& relative);

// "a, b, c" (or "none").
std::string join_names(const std::vector<std::string>& names);

}  // namespace qtrader::config_detail
