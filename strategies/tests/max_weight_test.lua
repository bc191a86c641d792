-- Tests of the built-in risk policy max_weight (docs/strategy-tests.md).
local t = require("qtrader.testkit")

t.test("tops a new position up to its maximum weight", function()
  local r = t.run{
    strategy = "buy_and_hold",
    risk = { name = "max_weight", params = { max_weight = 0.25 } },
    bars = { AAA = t.daily{ start = "2024-01-02", close = { 10, 10, 10 } } },
    cash = 10000,
  }
  -- 10000 * 0.25 / 10 = 250 shares
  r:expect_order{ symbol = "AAA", side = "buy", quantity = 250 }
  r:expect_position("AAA", 250)
end)
