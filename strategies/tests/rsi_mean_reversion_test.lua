-- Tests of the built-in rsi_mean_reversion (docs/strategy-tests.md).
local t = require("qtrader.testkit")

-- RSI(2), Wilder's smoothing, weekdays from 2024-01-02:
--   2024-01-04  two falls: RSI 0 < 30 -> open_long at 8, filled at 9 (next open)
--   2024-01-05  a rise: average gain 0.5, loss 0.5, RSI 50: hold
--   2024-01-08  a rise: gain 0.75, loss 0.25, RSI 75 > 70 -> close_long, filled at 11
local bars = t.daily{ start = "2024-01-02", close = { 10, 9, 8, 9, 10, 11 } }

local function run(params)
  return t.run{
    strategy = "rsi_mean_reversion",
    params = params or { period = 2, lower = 30, upper = 70 },
    symbols = { "TEST" },
    bars = bars,
    risk = { name = "fixed_quantity", params = { quantity = 10 } },
  }
end

t.test("buys an oversold close and sells an overbought one", function()
  local r = run()
  r:expect_signal{ intention = "open_long", at = "2024-01-04", price = 8, tag = "rsi_low" }
  r:expect_no_signal{ at = "2024-01-05" }
  r:expect_signal{ intention = "close_long", at = "2024-01-08", tag = "rsi_high" }
  r:expect_trade{ entry_price = 9, exit_price = 11, quantity = 10, gross_pnl = 20 }
end)

t.test("a higher upper level holds on (RSI reaches 87.5 on 2024-01-09)", function()
  local r = run{ period = 2, lower = 30, upper = 90 }
  r:expect_no_signal{ intention = "close_long" }
  r:expect_position("TEST", 10)
end)

t.test("refuses a lower level at or above the upper one", function()
  local ok, err = pcall(run, { period = 2, lower = 70, upper = 30 })
  t.expect(not ok, "the run should have failed")
  t.expect(err:find("lower must be below upper", 1, true), "unexpected error: " .. tostring(err))
end)
