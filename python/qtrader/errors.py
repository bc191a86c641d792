"""The engine's errors as Python exceptions.

Each carries the same fields as its C++ type (qtrader/errors.hpp), so a
notebook can point at the file and line as the command line does; str() of
one is the command line's one-line message.
"""


class QtraderError(Exception):
    """Base of every error the engine raises."""


class ConfigError(QtraderError):
    """A configuration file is wrong: ``FILE:LINE: key 'a.b': reason``."""

    def __init__(self, message, file, line, key, reason):
        super().__init__(message)
        self.file, self.line, self.key, self.reason = file, line, key, reason


class DataError(QtraderError):
    """A market-data row is wrong: ``FILE:LINE: reason``."""

    def __init__(self, message, file, line, reason):
        super().__init__(message)
        self.file, self.line, self.reason = file, line, reason


class ScriptError(QtraderError):
    """A script failed to load or in a callback, or ran out of time or memory.

    ``kind`` is one of load, runtime, memory, timeout, usage, error_in_handler;
    ``message`` starts with ``path:line:`` when a line is known.
    """

    def __init__(self, message, kind, script, callback, detail, traceback):
        super().__init__(message)
        self.kind, self.script, self.callback = kind, script, callback
        self.message, self.traceback = detail, traceback


class SweepError(QtraderError):
    """A sweep's grid or folder is wrong (a bad axis, a folder of another sweep)."""
