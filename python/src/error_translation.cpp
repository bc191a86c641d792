// The engine's C++ errors as the Python exceptions of qtrader/errors.py, with
// the same fields, so Python code can catch ConfigError and read .file/.line.
#include "error_translation.hpp"

#include <exception>

#include "qtrader/errors.hpp"
#include "qtrader/sweep.hpp"

namespace py = pybind11;

namespace qtrader::python {
namespace {

// Raises errors.<name>(*args). The classes live in pure Python (no import of
// this module), so they can be subclassed and pickled like any exception.
template <class... Args>
void raise_python(const char* name, Args&&... args) {
  py::object cls = py::module_::import("qtrader.errors").attr(name);
  py::object error = cls(std::forward<Args>(args)...);
  PyErr_SetObject(cls.ptr(), error.ptr());
}

}  // namespace

void register_error_translation() {
  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const ConfigError& e) {
      raise_python("ConfigError", e.what(), e.file(), e.line(), e.key(), e.reason());
    } catch (const DataError& e) {
      raise_python("DataError", e.what(), e.file(), e.line(), e.reason());
    } catch (const ScriptError& e) {
      raise_python("ScriptError", e.what(), to_string(e.kind()), e.script(), e.callback(), e.message(),
                   e.traceback());
    } catch (const SweepError& e) {
      raise_python("SweepError", e.what());
    } catch (const RunInterrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
    // Anything else falls through to pybind11's own translators
    // (std::runtime_error -> RuntimeError, std::bad_alloc -> MemoryError, ...).
  });
}

}  // namespace qtrader::python
