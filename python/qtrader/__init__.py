"""qtrader from Python: run backtests and sweeps, read their results.

    import qtrader
    r = qtrader.run("config/backtests/sample.yaml", params={"fast": 5})
    r.summary["final_equity"], len(r.trades), r.metrics["portfolio"]["sharpe"]
    r.to_pandas("equity")          # when pandas is installed

Runs go through the same engine as ``qtrader run`` (the C++ module
``qtrader._qtrader``) and write the same results folder; the tables here are
read from that folder's files, so every number equals the command's to the
last bit (numbers are written in shortest round-trip form and read back
exactly). Errors are the exceptions of ``qtrader.errors``, carrying the file,
line and key the command line prints. See docs/python.md.
"""

import json
import os

from . import _qtrader
from .errors import ConfigError, DataError, QtraderError, ScriptError, SweepError
from .results import Result, SweepResult

__version__ = _qtrader.__version__
__all__ = [
    "Engine", "run", "sweep", "list_scripts", "Result", "SweepResult",
    "QtraderError", "ConfigError", "DataError", "ScriptError", "SweepError",
]


def _param_text(value):
    """A param value as the YAML scalar the engine reads (as in `--param`).

    JSON is YAML's flow form, so numbers, booleans and lists keep their type
    and a str stays a string even when it looks like a number.
    """
    return json.dumps(value)


def _path(p):
    """A str, pathlib.Path or other path-like as the engine's text; None as ""."""
    return "" if p is None else os.fspath(p)


def _param_pairs(params):
    if params is None:
        return []
    items = params.items() if hasattr(params, "items") else params
    return [(str(name), _param_text(value)) for name, value in items]


def _default_root():
    """The data folder (built-in scripts, config/system.yaml) for this package:
    $QTRADER_HOME, else share/qtrader of the tree the package is in -- the
    build folder (<build>/python/qtrader) or the install prefix
    (<prefix>/lib/python3*/dist-packages/qtrader); "" lets the engine look
    where the qtrader command would (qtrader/data_home.hpp)."""
    if os.environ.get("QTRADER_HOME"):
        return os.environ["QTRADER_HOME"]
    here = os.path.dirname(os.path.abspath(__file__))
    for up in (2, 4):
        candidate = os.path.join(here, *[os.pardir] * up, "share", "qtrader")
        if os.path.isfile(os.path.join(candidate, "config", "system.yaml")):
            return os.path.realpath(candidate)  # as the command names it (fs::canonical)
    return ""


class Engine:
    """A reusable engine, as qtrader::Engine: each run() re-reads the
    configuration and the scripts, so a script edited between two runs takes
    effect in the second. ``cache_market_data`` keeps bars in memory between
    runs (re-read when a file changes)."""

    def __init__(self, root=None, system=None, cache_market_data=False, data_dir=None):
        self._engine = _qtrader.Engine(_path(root) or _default_root(), _path(system), bool(cache_market_data),
                                       _path(data_dir))

    @property
    def root(self):
        """The data folder: built-in strategies, scripts and config/system.yaml."""
        return self._engine.root

    def run(self, backtest, params=None, *, output_dir=None, results_dir=None, report=True, quiet=True,
            memory_event_store=False, progress=None):
        """Runs the backtest file and returns its Result.

        params: {"fast": 5, "risk.quantity": 50} -- names as `--param`.
        progress: called with a dict (percent, sim_date, bars, seconds, done)
        about every 250 ms; raising from it stops the run.
        """
        folder = self._engine.run(_path(backtest), _param_pairs(params), _path(output_dir), _path(results_dir),
                                  bool(report), bool(quiet), bool(memory_event_store), progress)
        return Result(folder)


def run(backtest, system=None, params=None, **options):
    """Runs one backtest with a fresh Engine; see Engine.run for the options.

    ``root`` and ``data_dir`` are passed to the Engine."""
    engine = Engine(root=options.pop("root", None), system=system, data_dir=options.pop("data_dir", None))
    return engine.run(backtest, params, **options)


def _axis_flag(name, values):
    """One sweep axis as `--param` text: a list of values or "A:B:STEP"."""
    if isinstance(values, str):
        return f"{name}={values}"
    return f"{name}=" + ",".join(_param_text(v) if isinstance(v, (bool, str)) else str(v) for v in values)


def sweep(backtest, grid, *, jobs=1, output_dir=None, metric="sharpe", system=None, root=None, random=0, seed=1,
          shard=None):
    """Runs one backtest per point of `grid` ({"fast": [5, 10], "slow": "20:60:20"})
    in `jobs` worker processes, as `qtrader sweep`, and returns its SweepResult.
    An existing `output_dir` of the same sweep is resumed."""
    axes = [_axis_flag(name, values) for name, values in grid.items()]
    info = _qtrader.sweep(_path(backtest), axes, int(jobs), _path(output_dir), metric, _path(root) or _default_root(),
                          _path(system), int(random), int(seed), shard or "")
    return SweepResult(info)


def list_scripts(script_paths=(), root=None):
    """Every strategy and risk policy the registry resolves for these script
    folders (then installed libraries, then the built-ins), as `qtrader list
    --json` prints them: name, kind, full_name, file, description, load_error,
    params (name, type, default, min, max, description)."""
    return json.loads(_qtrader.script_catalog_json([_path(p) for p in script_paths], _path(root) or _default_root()))
