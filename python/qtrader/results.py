"""A run's and a sweep's results, read from the folders the engine wrote.

Tables are lists of dicts, one per CSV row, with numbers as int or float
(shortest round-trip text reads back to the exact double) and text as str.
Each file is read once, on first use.
"""

import csv
import functools
import json
import os


def _number_or_text(text):
    if text == "":
        return None
    if text[0] not in "0123456789+-.":
        return text  # a symbol such as NAN or INF stays a name
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def read_table(path):
    """The rows of a CSV file as dicts of typed values; [] when it is absent."""
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return [{k: _number_or_text(v) for k, v in row.items()} for row in csv.DictReader(f)]


def _to_pandas(path):
    import pandas  # optional: only this method needs it

    return pandas.read_csv(path, float_precision="round_trip")


class Result:
    """One run's results folder (as `qtrader run` prints it)."""

    TABLES = ("trades", "equity", "fills", "positions", "records", "metrics_daily")

    def __init__(self, results_dir):
        self.results_dir = results_dir

    def _path(self, name):
        return os.path.join(self.results_dir, name)

    @functools.cached_property
    def summary(self):
        """summary.json: the run's counts, final equity, scripts, params, version."""
        with open(self._path("summary.json")) as f:
            return json.load(f)

    @functools.cached_property
    def metrics(self):
        """metrics.json (docs/metrics.md), or None for a run without a report."""
        path = self._path("metrics.json")
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)

    @functools.cached_property
    def trades(self):
        """trades.csv: closed round trips."""
        return read_table(self._path("trades.csv"))

    @functools.cached_property
    def equity(self):
        """equity.csv: cash and equity at each timestamp."""
        return read_table(self._path("equity.csv"))

    @functools.cached_property
    def fills(self):
        """fills.csv: every fill."""
        return read_table(self._path("fills.csv"))

    @functools.cached_property
    def positions(self):
        """positions.csv: holdings over time."""
        return read_table(self._path("positions.csv"))

    @functools.cached_property
    def records(self):
        """records.csv: the values scripts saved with ctx:record(name, value[, sym])."""
        return read_table(self._path("records.csv"))

    def to_pandas(self, table="equity"):
        """One table (trades, equity, fills, positions, records, metrics_daily) as a
        pandas DataFrame, read with round-trip float precision."""
        if table not in self.TABLES:
            raise ValueError(f"unknown table {table!r}: one of {', '.join(self.TABLES)}")
        return _to_pandas(self._path(table + ".csv"))

    def __repr__(self):
        return f"qtrader.Result({self.results_dir!r})"


class SweepResult:
    """A sweep's folder (as `qtrader sweep` prints it) and its progress."""

    def __init__(self, info):
        self.dir = info["dir"]
        self.csv = info["csv"]
        self.interrupted = info["interrupted"]
        self.total, self.done = info["total"], info["done"]
        self.skipped, self.failed = info["skipped"], info["failed"]

    @functools.cached_property
    def rows(self):
        """sweep.csv: one row per point (its params, status, metrics, error)."""
        return read_table(self.csv)

    def to_pandas(self):
        return _to_pandas(self.csv)

    def __repr__(self):
        return f"qtrader.SweepResult({self.dir!r}, {self.done + self.skipped}/{self.total} points)"
