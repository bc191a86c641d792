// A session's result files as the API serves them. Only fixed names inside
// the session's own run folder are read, and only regular files whose real
// path stays inside the results folder (a symlink planted there to reach
// elsewhere is refused).
#pragma once

#include <optional>
#include <string>

namespace qtrader::serve {

// The file's bytes; nullopt when it does not exist (yet) or is refused.
std::optional<std::string> read_session_file(const std::string& results_root, const std::string& run_dir,
                                             const std::string& name);

// A results CSV as {"columns": [...], "rows": [[...], ...]}, numbers as numbers.
std::string csv_to_json(const std::string& csv);

}  // namespace qtrader::serve
