-- Tests of the built-in donchian_breakout (docs/strategy-tests.md).
local t = require("qtrader.testkit")

-- t.daily bars have high = low = close here (open = close), so the channels
-- are those of the closes. With entry = 3, exit = 2, weekdays from 2024-01-02:
--   2024-01-05  10.5 is not above 11, the high of the 3 bars before
--   2024-01-08  12 is above 11: breakout -> open_long, filled at 12.5
--   2024-01-10  11 is below 12, the low of the 2 bars before: breakdown -> close_long, filled at 10
local bars = t.daily{ start = "2024-01-02", close = { 10, 11, 10, 10.5, 12, 12.5, 11, 10, 9 } }

local function run()
  return t.run{
    strategy = "donchian_breakout",
    params = { entry = 3, exit = 2 },
    symbols = { "TEST" },
    bars = bars,
    risk = { name = "fixed_quantity", params = { quantity = 10 } },
  }
end

t.test("buys a close above the previous bars' high", function()
  local r = run()
  r:expect_no_signal{ at = "2024-01-05" }
  r:expect_signal{ symbol = "TEST", intention = "open_long", at = "2024-01-08", price = 12, tag = "breakout" }
end)

t.test("sells a close below the previous bars' low", function()
  local r = run()
  r:expect_signal{ symbol = "TEST", intention = "close_long", at = "2024-01-10", tag = "breakdown" }
  r:expect_trade{ entry_price = 12.5, exit_price = 10, quantity = 10, gross_pnl = -25 }
  r:expect_signal{ count = 2 }
end)
