-- Tests of the built-in sma_crossover_slice, sma_crossover through on_slice:
-- the same cases, the same expectations (docs/strategy-tests.md); run with
-- `qtrader test strategies`.
local t = require("qtrader.testkit")

-- Weekdays from Tuesday 2024-01-02. With fast = 2 and slow = 3:
--   2024-01-04  d = 8.5 - 9 < 0 seeds the crossover (first bar both are defined)
--   2024-01-08  d = 10 - 9.33 > 0 after d < 0: cross up -> open_long
--   2024-01-10  d = 11 - 11 = 0: no cross (the last non-zero d is kept)
--   2024-01-11  d = 9 - 10 < 0 after d > 0: cross down -> close_long
-- A t.daily bar opens at its close: the buy fills at 12, the sale at 7.
local bars = t.daily{ start = "2024-01-02", close = { 10, 9, 8, 9, 11, 12, 10, 8, 7 } }

local function run(closes)
  return t.run{
    strategy = "sma_crossover_slice",
    params = { fast = 2, slow = 3 },
    symbols = { "TEST" },
    bars = closes and t.daily{ start = "2024-01-02", close = closes } or bars,
    risk = { name = "fixed_quantity", params = { quantity = 10 } },
    cash = 10000,
  }
end

t.test("opens on the cross up, at the signal bar's close", function()
  local r = run()
  r:expect_signal{ symbol = "TEST", intention = "open_long", at = "2024-01-08", price = 11, tag = "cross_up" }
  r:expect_fill{ symbol = "TEST", side = "buy", quantity = 10, price = 12, at = "2024-01-09" }
end)

t.test("a zero difference is not a cross", function()
  local r = run()
  r:expect_no_signal{ at = "2024-01-10" }
  r:expect_signal{ count = 2 }
end)

t.test("closes on the cross down", function()
  local r = run()
  r:expect_signal{ symbol = "TEST", intention = "close_long", at = "2024-01-11", tag = "cross_down" }
  r:expect_trade{ symbol = "TEST", entry_price = 12, exit_price = 7, quantity = 10, gross_pnl = -50,
                  exit_reason = "signal" }
  r:expect_position("TEST", 0)
  r:expect_cash(10000 - 50)
end)

t.test("the first defined difference only seeds: a rise from the start is no cross", function()
  local r = run{ 1, 2, 3, 4, 5, 6 }
  r:expect_no_signal{}
end)
