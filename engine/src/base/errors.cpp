#include "qtrader/errors.hpp"

#include <fmt/format.h>

namespace qtrader {

ConfigError::ConfigError(std::string file, int line, std::string key, std::string reason)
    : std::runtime_error(key.empty() ? fmt::format("{}:{}: {}", file, line, reason)
                                     : fmt::format("{}:{}: key '{}': {}", file, line, key, reason)),
      file_(std::move(file)),
      key_(std::move(key)),
      reason_(std::move(reason)),
      line_(line) {}

DataError::DataError(std::string file, long line, std::string reason)
    : std::runtime_error(fmt::format("{}:{}: {}", file, line, reason)),
      file_(std::move(file)),
      reason_(std::move(reason)),
      line_(line) {}

ScriptError::ScriptError(Kind kind, std::string script, std::string callback, std::string message,
                         std::string traceback)
    : std::runtime_error(callback.empty()
                             ? fmt::format("{}: {}", script, message)
                             : fmt::format("{} in {}: {}", script, callback, message)),
      kind_(kind),
      script_(std::move(script)),
      callback_(std::move(callback)),
      message_(std::move(message)),
      traceback_(std::move(traceback)) {}

}  // namespace qtrader
