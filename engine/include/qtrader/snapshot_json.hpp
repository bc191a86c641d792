// What every service's snapshot()/restore() pair (docs/checkpoints.md) uses
// to write its state as JSON exactly: doubles in nlohmann's shortest
// round-trip form, NaN as null (JSON has no NaN), and back.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "qtrader/types.hpp"

namespace qtrader::snapshot_json {

using Json = nlohmann::json;

inline double number(const Json& j) { return j.is_null() ? kNaN : j.get<double>(); }

inline Json numbers(const std::vector<double>& v) { return Json(v); }
inline std::vector<double> numbers(const Json& j) {
  std::vector<double> out;
  out.reserve(j.size());
  for (const Json& x : j) out.push_back(number(x));
  return out;
}

template <class E>
int code(E e) {
  return static_cast<int>(e);
}
template <class E>
E enum_of(const Json& j) {
  return static_cast<E>(j.get<int>());
}

}  // namespace qtrader::snapshot_json
