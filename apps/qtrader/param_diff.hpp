// What differed between two runs' params (summary.json "params"): one line
// per param whose value differs or that only one run has, scripts in
// summary order, then the --param overrides.
#pragma once

#include <string>
#include <vector>

namespace qtrader::cli {

struct ParamDifference {
  std::string name;  // "owner.param", or "--param"
  std::string a, b;  // JSON text; "(none)" when absent
};

// From two summary.json files; `recorded` is false when either has no params
// (a run from before they were recorded).
std::vector<ParamDifference> param_differences(const std::string& summary_a,
                                               const std::string& summary_b, bool& recorded);

}  // namespace qtrader::cli
