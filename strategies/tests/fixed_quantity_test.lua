-- Tests of the built-in risk policy fixed_quantity (docs/strategy-tests.md):
-- buy_and_hold signals, the policy sizes, the execution rules fill.
local t = require("qtrader.testkit")

local function run(quantity, cash, closes)
  return t.run{
    strategy = "buy_and_hold",
    risk = { name = "fixed_quantity", params = { quantity = quantity } },
    symbols = { "TEST" },
    bars = t.daily{ start = "2024-01-02", close = closes or { 10, 10, 10 } },
    cash = cash,
    commission = 0.001,
  }
end

t.test("sizes every opening signal at the fixed quantity", function()
  local r = run(25, 10000)
  r:expect_order{ symbol = "TEST", side = "buy", quantity = 25, order_type = "market" }
  -- commission: 25 * 10 * 0.001
  r:expect_fill{ symbol = "TEST", side = "buy", quantity = 25, price = 10, commission = 0.25, at = "2024-01-03" }
  r:expect_position("TEST", 25)
  r:expect_cash(10000 - 250 - 0.25)
end)

t.test("refuses a buy whose value and commission exceed the cash", function()
  -- 100 shares at 10 cost 1000 plus 1 of commission: 1000 of cash is 1 short.
  local r = run(100, 1000)
  r:expect_rejection{ symbol = "TEST", reason = "insufficient cash: need 1001.00, have 1000.00" }
  r:expect_no_fill{}
  r:expect_position("TEST", 0)
end)
