-- Tests of {{NAME}} (docs/strategy-tests.md). Each case runs the strategy in a
-- real backtest (risk policy, execution rules and portfolio included) over a
-- few bars and checks what it did. Run them with `qtrader test FOLDER`.
local t = require("qtrader.testkit")

-- Weekdays from Tuesday 2024-01-02: flat at 10, a rise above the 3-bar
-- average on 2024-01-05, a fall below it on 2024-01-09. With t.daily a bar
-- opens at its close, so a fill's price is the next bar's close.
local bars = t.daily{ start = "2024-01-02", close = { 10, 10, 10, 12, 13, 9, 8 } }

local function run(params)
  return t.run{
    strategy = "{{NAME}}",
    params = params or { period = 3 },
    symbols = { "TEST" },
    bars = bars,
    risk = { name = "fixed_quantity", params = { quantity = 10 } },
    cash = 10000,
  }
end

t.test("buys when the close rises above its average", function()
  local r = run()
  r:expect_signal{ symbol = "TEST", intention = "open_long", at = "2024-01-05" }
  r:expect_fill{ symbol = "TEST", side = "buy", quantity = 10, price = 13, at = "2024-01-08" }
end)

t.test("sells when the close falls below, and ends flat", function()
  local r = run()
  r:expect_signal{ symbol = "TEST", intention = "close_long", at = "2024-01-09" }
  r:expect_trade{ symbol = "TEST", entry_price = 13, exit_price = 8, quantity = 10, net_pnl = -50 }
  r:expect_position("TEST", 0)
  r:expect_equity(10000 - 50)
end)

t.test("signals nothing before the average is defined", function()
  local r = run{ period = 10 }
  r:expect_no_signal{}
end)
