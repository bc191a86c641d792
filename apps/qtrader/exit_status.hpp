// The exit status of a failed command, and its message on stderr: 2 for bad
// input (configuration, data, sweep grid), 1 for anything else; a script
// error also prints its Lua traceback. Call from a catch (...) block.
#pragma once

#include <exception>
#include <string>

namespace qtrader::cli {

int report_failure(const std::exception_ptr& failure);

// True when `dir` is a run's results folder; otherwise says so on stderr
// and sets `exit_code` to 2 (bad input), for the commands that read one.
bool check_run_dir(const std::string& dir, int& exit_code);

}  // namespace qtrader::cli
