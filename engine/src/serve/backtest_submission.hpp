// POST /api/backtest/start's body, read and checked before a session exists:
// a backtest as YAML (a YAML body, or JSON {"backtest": "<yaml>"}), as a JSON
// object ({"backtest": {...}}), or a saved backtest by name ({"name": ...});
// "params" (param overrides, as `--param`) and "acceleration_factor".
// Bad input throws SubmissionError naming the field; YAML errors carry the
// CLI's file:line: key message, the file being "backtest".
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "qtrader/engine.hpp"
#include "serve/serve_config.hpp"

namespace qtrader::serve {

class SubmissionError : public std::runtime_error {
 public:
  SubmissionError(std::string field, const std::string& message)
      : std::runtime_error(message), field_(std::move(field)) {}
  const std::string& field() const noexcept { return field_; }

 private:
  std::string field_;
};

struct BacktestSubmission {
  std::string submitted;    // the backtest as the client sent it (the sessions table keeps it)
  std::string file_text;    // what the session's backtest.yaml holds (script roots added)
  std::string saved_path;   // a saved backtest: the file the session runs; else empty
  std::vector<ParamOverride> params;
  std::string params_json;  // {"name": value, ...}
  double acceleration_factor = 0;
};

// `content_type` and `target` (for ?acceleration_factor= with a YAML body) of the request.
BacktestSubmission read_submission(const std::string& body, const std::string& content_type,
                                   const std::string& target, const ServeConfig& config);

// Checks the backtest file as `qtrader run` does before it loads scripts:
// syntax, keys, types, sources, data files, param overrides. `shown_as` replaces
// the file's path in messages.
void check_submission(const std::string& backtest_path, const std::string& shown_as,
                      const BacktestSubmission& submission, const ServeConfig& config);

}  // namespace qtrader::serve
