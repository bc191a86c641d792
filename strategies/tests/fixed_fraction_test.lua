-- Tests of the built-in risk policy fixed_fraction (docs/strategy-tests.md).
local t = require("qtrader.testkit")

local function run(params, closes)
  return t.run{
    strategy = "buy_and_hold",
    risk = { name = "fixed_fraction", params = params },
    bars = { AAA = t.daily{ start = "2024-01-02", close = closes or { 10, 10, 10 } } },
    cash = 10000,
  }
end

t.test("invests the fraction of equity in whole shares", function()
  -- 10000 * 0.3 / 10 = 300 shares
  local r = run{ fraction = 0.3 }
  r:expect_order{ symbol = "AAA", side = "buy", quantity = 300 }
  r:expect_fill{ symbol = "AAA", quantity = 300, price = 10, at = "2024-01-03" }
  r:expect_position("AAA", 300)
end)

t.test("the shares are rounded down", function()
  -- 10000 * 0.3 / 7 = 428.57
  local r = run({ fraction = 0.3 }, { 7, 7, 7 })
  r:expect_order{ symbol = "AAA", quantity = 428 }
end)
