"""Consolidated bars against an independent aggregation: pandas `resample` of
the real 5-minute fixture (tests/fixtures/bars/data/ESTX.csv, ten days of
index bars) into 15-minute, hourly and daily bars, compared with what a
strategy's on_bar receives for `timeframe: 15m|1h|1d` in the backtest.

Windows are left-closed and labelled by their start (pandas `closed="left",
label="left"`), as the engine labels a consolidated bar (docs/data.md). The
engine hands out a window once it is complete, so the last window of the data,
which no later bar closes, is not delivered: every other window is, and equal.
"""

import textwrap
from pathlib import Path

import pytest

import qtrader

pandas = pytest.importorskip("pandas")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bars"

PROBE = """\
local S = {}
function S.on_bar(ctx, bar)
  ctx:record("ts", bar.ts / 1e9)
  ctx:record("open", bar.open)
  ctx:record("high", bar.high)
  ctx:record("low", bar.low)
  ctx:record("close", bar.close)
end
return S
"""


def received_bars(tmp_path, timeframe):
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "bar_probe.lua").write_text(PROBE)
    backtest = tmp_path / "probe.yaml"
    backtest.write_text(textwrap.dedent(f"""\
        start_date: 2006-01-02
        end_date: 2006-01-13
        initial_equity: 100000
        script_paths: [{scripts}]
        data:
          sources:
            - name: estx
              universe: [ESTX]
        strategies:
          - strategy_id: probe
            name: bar_probe
            universe: [ESTX]
            timeframe: {timeframe}
        risk_policy:
          name: fixed_quantity
          config: {{quantity: 1}}
    """))
    r = qtrader.run(backtest, system=FIXTURES / "system.yaml", output_dir=tmp_path / "out", report=False)
    records = r.to_pandas("records")
    wide = {name: list(group["value"]) for name, group in records.groupby("name", sort=False)}
    bars = pandas.DataFrame(wide)
    bars.index = pandas.to_datetime(bars.pop("ts"), unit="s")
    return bars


def resampled(rule):
    raw = pandas.read_csv(FIXTURES / "data" / "ESTX.csv", float_precision="round_trip")
    raw.index = pandas.to_datetime(raw["Date"] + " " + raw["Time"])
    bars = raw.resample(rule, closed="left", label="left").agg(
        {"Open": "first", "High": "max", "Low": "min", "Close": "last"}).dropna()
    bars.columns = ["open", "high", "low", "close"]
    return bars


@pytest.mark.parametrize("timeframe, rule", [("15m", "15min"), ("1h", "1h"), ("1d", "1D")])
def test_consolidated_bars_equal_pandas_resample(tmp_path, timeframe, rule):
    got = received_bars(tmp_path, timeframe)
    want = resampled(rule)
    assert len(got) == len(want) - 1  # the data's last window is never closed by a later bar
    assert list(got.index) == list(want.index[:-1])
    for column in ("open", "high", "low", "close"):
        assert list(got[column]) == list(want[column][:-1]), column
