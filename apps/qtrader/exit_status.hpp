// The exit status of a failed command, and its message on stderr: 2 for bad
// input (configuration, data, sweep grid), 1 for anything else; a script
// error also prints its Lua traceback. Call from a catch (...) block.
#pragma once

#include <exception>

namespace qtrader::cli {

int report_failure(const std::exception_ptr& failure);

}  // namespace qtrader::cli
