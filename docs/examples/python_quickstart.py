"""A notebook's first cells as a script: run the sample, sweep two params,
print what a quant looks at first. From the checkout, after the build:

    PYTHONPATH=build/python python3 docs/examples/python_quickstart.py
"""

import qtrader

BACKTEST = "config/backtests/sample.yaml"

r = qtrader.run(BACKTEST)
p = r.metrics["portfolio"]
print(f"{r.results_dir}: final equity {r.summary['final_equity']:.2f}, "
      f"{len(r.trades)} trades, Sharpe {p['sharpe']:.3f}, max drawdown {p['max_drawdown']['depth']:.2%}")

best = max((t for t in r.trades), key=lambda t: t["net_pnl"])
print(f"best trade: {best['symbol']} {best['entry_time']} -> {best['exit_time']}, {best['net_pnl']:.2f}")

s = qtrader.sweep(BACKTEST, {"fast": [5, 10, 20], "slow": "30:60:15"}, jobs=2)
for row in sorted(s.rows, key=lambda row: row["sharpe"] or float("-inf"), reverse=True)[:3]:
    print(f"fast={row['fast']:>3} slow={row['slow']:>3}  sharpe {row['sharpe']:.3f}")

try:
    import pandas  # noqa: F401
    equity = r.to_pandas("equity")
    print(equity.tail(3).to_string(index=False))
except ImportError:
    pass
