"""The Python package against the command: the same backtest run both ways
gives byte-identical results files, errors carry the command's file, line and
key, and the tables read back the exact numbers of the files.

Run by ctest (tests/python/CMakeLists.txt) with PYTHONPATH=<build>/python and
QTRADER_BIN=<build>/apps/qtrader; the backtests are the repository's sample.
"""

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest

import qtrader

SOURCE = Path(__file__).resolve().parents[2]
SAMPLE = SOURCE / "config" / "backtests" / "sample.yaml"
QTRADER = os.environ["QTRADER_BIN"]


def command(*args, check=True):
    return subprocess.run([QTRADER, *map(str, args)], capture_output=True, text=True, check=check)


def command_run(backtest, out, *args):
    """`qtrader run` into `out`: the results folder it prints."""
    return Path(command("run", backtest, "--output", out, "-q", *args).stdout.strip())


def same_files(a, b, names=("trades.csv", "equity.csv", "fills.csv", "positions.csv")):
    for name in names:
        assert (Path(a) / name).read_bytes() == (Path(b) / name).read_bytes(), name


def test_run_gives_the_command_results_byte_for_byte(tmp_path):
    r = qtrader.run(SAMPLE, output_dir=tmp_path / "py")
    cli = command_run(SAMPLE, tmp_path / "cli")
    same_files(r.results_dir, cli)
    cli_summary = json.loads((cli / "summary.json").read_text())
    assert r.summary["final_equity"] == cli_summary["final_equity"]
    assert r.summary["trades"] == cli_summary["trades"] == len(r.trades)
    assert json.loads((cli / "metrics.json").read_text()) == r.metrics
    # Tables hold typed values, read back exactly from the shortest round-trip text.
    assert isinstance(r.trades[0]["symbol"], str)
    assert r.equity[-1]["equity"] == cli_summary["final_equity"]
    assert len(r.fills) == cli_summary["fills"]


def test_params_are_the_commands_param_overrides(tmp_path):
    r = qtrader.run(SAMPLE, params={"fast": 5, "risk.quantity": 50}, output_dir=tmp_path / "py")
    cli = command_run(SAMPLE, tmp_path / "cli", "--param", "fast=5", "--param", "risk.quantity=50")
    same_files(r.results_dir, cli)
    default = qtrader.run(SAMPLE, output_dir=tmp_path / "default", report=False)
    assert default.trades != r.trades
    assert default.metrics is None  # no report, no metrics.json


def write(path, text):
    path.write_text(textwrap.dedent(text))
    return path


def test_config_error_names_file_line_and_key_as_the_command_does(tmp_path):
    bad = write(tmp_path / "bad.yaml", SAMPLE.read_text().replace("initial_equity: 100000", "initial_equity: lots"))
    with pytest.raises(qtrader.ConfigError) as caught:
        qtrader.run(bad, output_dir=tmp_path)
    e = caught.value
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1) if text.startswith("initial_equity"))
    assert (e.file, e.line, e.key) == (str(bad), line, "initial_equity")
    cli = command("run", bad, "--output", tmp_path, check=False)
    assert cli.returncode == 2
    assert f"error: {e}" in cli.stderr


def test_unknown_param_is_a_config_error_naming_the_override(tmp_path):
    with pytest.raises(qtrader.ConfigError) as caught:
        qtrader.run(SAMPLE, params={"fats": 5}, output_dir=tmp_path)
    assert (caught.value.file, caught.value.line) == ("--param", 1)
    assert "fats" in str(caught.value)


def strategy_folder(tmp_path, body):
    folder = tmp_path / "scripts"
    folder.mkdir(exist_ok=True)
    write(folder / "py_probe.lua", body)
    backtest = SAMPLE.read_text().replace("name: sma_crossover", "name: py_probe")
    backtest = backtest.replace("      fast: 10\n      slow: 30\n", "      {}\n")
    return write(tmp_path / "probe.yaml", f"script_paths: [{folder}]\n" + backtest)


BUYER = """\
    return {
      description = "buys on the first bar it sees",
      on_bar = function(ctx, bar)
        if ctx:position(bar.symbol) == 0 then ctx:target_quantity(bar.symbol, 100) end
      end,
    }
"""


def test_script_error_carries_kind_script_and_line(tmp_path):
    backtest = strategy_folder(tmp_path, """\
        return {
          on_bar = function(ctx, bar)
            error("no luck")
          end,
        }
    """)
    with pytest.raises(qtrader.ScriptError) as caught:
        qtrader.run(backtest, output_dir=tmp_path / "out")
    e = caught.value
    assert e.kind == "runtime"
    assert e.callback == "on_bar"
    assert e.script.endswith("py_probe.lua")
    assert e.message.startswith(f"{e.script}:3: no luck")


def test_an_engine_rereads_an_edited_script(tmp_path):
    backtest = strategy_folder(tmp_path, BUYER)
    engine = qtrader.Engine(cache_market_data=True)
    first = engine.run(backtest, output_dir=tmp_path / "a", report=False)
    assert len(first.fills) == 3  # one buy per symbol
    write(tmp_path / "scripts" / "py_probe.lua", "return { on_bar = function(ctx, bar) end }\n")
    second = engine.run(backtest, output_dir=tmp_path / "b", report=False)
    assert second.fills == []


def test_a_raising_progress_callback_stops_the_run(tmp_path):
    slow = write(tmp_path / "slow.yaml", SAMPLE.read_text().replace("replay_speed: 0 ", "replay_speed: 0.002"))
    calls = []

    def progress(p):
        calls.append(p)
        raise ValueError("enough")

    with pytest.raises(ValueError, match="enough"):
        qtrader.run(slow, output_dir=tmp_path, progress=progress)
    assert len(calls) == 1 and 0 <= calls[0]["percent"] < 100 and not calls[0]["done"]


def test_list_scripts_is_the_commands_list_json():
    scripts = qtrader.list_scripts()
    assert scripts == json.loads(command("list", "--json").stdout)
    sma = next(s for s in scripts if s["name"] == "sma_crossover")
    assert sma["kind"] == "strategy"
    assert {p["name"]: p["default"] for p in sma["params"]}["fast"] == 10


def test_sweep_gives_the_commands_sweep_csv(tmp_path):
    s = qtrader.sweep(SAMPLE, {"fast": [5, 10], "slow": "30:40:10"}, jobs=2, output_dir=tmp_path / "py")
    assert (s.total, s.done, s.failed, s.interrupted) == (4, 4, 0, False)
    command("sweep", SAMPLE, "--param", "fast=5,10", "--param", "slow=30:40:10", "-j", 2, "-q",
            "--output", tmp_path / "cli")
    assert Path(s.csv).read_bytes() == (tmp_path / "cli" / "sweep.csv").read_bytes()
    assert [(row["fast"], row["slow"]) for row in s.rows] == [(5, 30), (5, 40), (10, 30), (10, 40)]
    with pytest.raises(qtrader.SweepError):
        qtrader.sweep(SAMPLE, {"fast": "5:"}, output_dir=tmp_path / "bad")


def test_to_pandas_reads_the_same_numbers(tmp_path):
    pandas = pytest.importorskip("pandas")
    r = qtrader.run(SAMPLE, output_dir=tmp_path)
    trades = r.to_pandas("trades")
    assert isinstance(trades, pandas.DataFrame)
    assert len(trades) == len(r.trades)
    assert list(trades["net_pnl"]) == [t["net_pnl"] for t in r.trades]
    with pytest.raises(ValueError):
        r.to_pandas("nonsense")
