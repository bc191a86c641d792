#pragma once

#include <pybind11/pybind11.h>

namespace qtrader::python {

// Maps ConfigError, DataError, ScriptError, SweepError and RunInterrupted to
// qtrader.errors.* (RunInterrupted: KeyboardInterrupt). Called once at import.
void register_error_translation();

}  // namespace qtrader::python
