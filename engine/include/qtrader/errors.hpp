// Error types that cross service boundaries. Each carries where the problem is
// (file and line) so that the command line can print one line that a user can act on.
#pragma once

#include <stdexcept>
#include <string>

namespace qtrader {

// A problem in a configuration file: "FILE:LINE: key 'a.b': reason".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, std::string key, std::string reason);
  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }
  const std::string& key() const noexcept { return key_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string file_, key_, reason_;
  int line_;
};

// A problem in a market-data file: "FILE:LINE: reason".
class DataError : public std::runtime_error {
 public:
  DataError(std::string file, long line, std::string reason);
  const std::string& file() const noexcept { return file_; }
  long line() const noexcept { return line_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string file_, reason_;
  long line_;
};

// A script failed (load, runtime, memory, time budget). The message names the
// script file, the callback and the line, and carries a traceback.
class ScriptError : public std::runtime_error {
 public:
  enum class Kind { Load, Runtime, Memory, Timeout, Usage, ErrorInHandler };
  ScriptError(Kind kind, std::string script, std::string callback, std::string message,
              std::string traceback = {});
  Kind kind() const noexcept { return kind_; }
  const std::string& script() const noexcept { return script_; }
  const std::string& callback() const noexcept { return callback_; }
  const std::string& message() const noexcept { return message_; }
  const std::string& traceback() const noexcept { return traceback_; }

 private:
  Kind kind_;
  std::string script_, callback_, message_, traceback_;
};

const char* to_string(ScriptError::Kind) noexcept;

// The run was asked to stop (RunOptions::stop, set by a SIGINT/SIGTERM handler)
// and stopped between two timestamps: its results are whole up to the last one,
// and its `runs` row says `interrupted`.
class RunInterrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace qtrader
