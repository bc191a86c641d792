-- Tests of the built-in risk policy naive (docs/strategy-tests.md).
local t = require("qtrader.testkit")

local function run(params, cash)
  return t.run{
    strategy = "buy_and_hold",
    risk = { name = "naive", params = params },
    bars = { AAA = t.daily{ start = "2024-01-02", close = { 10, 10, 10 } } },
    cash = cash or 10000,
  }
end

t.test("sizes a new position at its fraction of equity", function()
  -- 10000 * 0.2 / 10 = 200 shares
  run{ max_pct_position_size = 0.2 }:expect_fill{ symbol = "AAA", side = "buy", quantity = 200, price = 10 }
end)
