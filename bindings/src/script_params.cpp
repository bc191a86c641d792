#include "qtrader/lua/script_params.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "qtrader/errors.hpp"

namespace qtrader {

const char* to_string(ParamType t) noexcept {
  switch (t) {
    case ParamType::Number: return "number";
    case ParamType::Integer: return "integer";
    case ParamType::Boolean: return "boolean";
    case ParamType::String: return "string";
    case ParamType::List: return "list";
  }
  return "unknown";
}

namespace {

const char* kind_name(const ParamValue& v) {
  switch (v.kind) {
    case ParamValue::Kind::Number: return v.is_integer ? "an integer" : "a number";
    case ParamValue::Kind::Bool: return "a boolean";
    case ParamValue::Kind::String: return "a string";
    case ParamValue::Kind::List: return "a list";
    case ParamValue::Kind::Map: return "a mapping";
  }
  return "a value";
}

bool fits(const ParamSpec& spec, const ParamValue& v) {
  switch (spec.type) {
    case ParamType::Number: return v.kind == ParamValue::Kind::Number;
    case ParamType::Integer:
      return v.kind == ParamValue::Kind::Number && std::isfinite(v.number) && v.number == std::floor(v.number);
    case ParamType::Boolean: return v.kind == ParamValue::Kind::Bool;
    case ParamType::String: return v.kind == ParamValue::Kind::String;
    case ParamType::List:
      return v.kind == ParamValue::Kind::List || v.kind == ParamValue::Kind::Map ||
             v.kind == ParamValue::Kind::String;
  }
  return false;
}

}  // namespace

ResolvedParams resolve_params(const std::vector<ParamSpec>& specs, const ParamMap& overrides,
                              std::string_view owner, std::string_view config_key) {
  ResolvedParams out;
  out.reserve(specs.size());
  for (const auto& s : specs) out.emplace_back(s.name, s.default_value);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  for (const auto& [key, value] : overrides) {
    const std::string full_key = config_key.empty() ? key : fmt::format("{}.{}", config_key, key);
    auto spec = std::find_if(specs.begin(), specs.end(), [&key = key](const ParamSpec& s) { return s.name == key; });
    if (spec == specs.end()) {
      std::string known;  // by name, whatever the declared order
      for (const auto& [name, _] : out) known += (known.empty() ? "" : ", ") + name;
      throw ConfigError(value.where.file, value.where.line, full_key,
                        fmt::format("{} has no parameter '{}' (its parameters: {})", owner, key,
                                    known.empty() ? "none" : known));
    }
    if (!fits(*spec, value))
      throw ConfigError(value.where.file, value.where.line, full_key,
                        fmt::format("{} parameter '{}' must be {}, got {}", owner, key,
                                    spec->type == ParamType::Integer ? "an integer"
                                    : spec->type == ParamType::List
                                        ? "a list, a mapping or a string"
                                        : fmt::format("a {}", to_string(spec->type)),
                                    kind_name(value)));
    if (spec->type == ParamType::Number || spec->type == ParamType::Integer) {
      if (!std::isfinite(value.number) || (spec->min && value.number < *spec->min) ||
          (spec->max && value.number > *spec->max))
        throw ConfigError(value.where.file, value.where.line, full_key,
                          fmt::format("{} parameter '{}' = {} is out of range [{}, {}]", owner, key,
                                      value.number, spec->min ? fmt::format("{}", *spec->min) : "-inf",
                                      spec->max ? fmt::format("{}", *spec->max) : "inf"));
    }
    auto slot = std::find_if(out.begin(), out.end(), [&key = key](const auto& p) { return p.first == key; });
    slot->second = value;
  }
  return out;
}

}  // namespace qtrader
