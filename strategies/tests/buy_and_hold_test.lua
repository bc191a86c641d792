-- Tests of the built-in buy_and_hold (docs/strategy-tests.md).
local t = require("qtrader.testkit")

local function bars(closes) return t.daily{ start = "2024-01-02", close = closes } end

t.test("buys every symbol once, on its first bar", function()
  local r = t.run{
    strategy = "buy_and_hold",
    bars = { AAA = bars{ 10, 11, 12, 13 }, BBB = bars{ 20, 21, 22, 23 } },
    risk = { name = "fixed_quantity", params = { quantity = 5 } },
    cash = 10000,
  }
  r:expect_signal{ symbol = "AAA", intention = "open_long", at = "2024-01-02", count = 1 }
  r:expect_signal{ symbol = "BBB", intention = "open_long", at = "2024-01-02", count = 1 }
  r:expect_fill{ symbol = "BBB", side = "buy", quantity = 5, price = 21, at = "2024-01-03" }
  r:expect_position("AAA", 5)
  r:expect_position("BBB", 5)
  -- cash 10000 - 5 * 11 - 5 * 21; positions at the last closes 13 and 23
  r:expect_equity(10000 - 55 - 105 + 65 + 115)
end)

t.test("waits for the end of warm-up", function()
  local r = t.run{ strategy = "buy_and_hold", symbols = { "AAA" }, bars = bars{ 10, 11, 12, 13 }, warmup = 2,
                   risk = { name = "fixed_quantity", params = { quantity = 1 } } }
  r:expect_signal{ at = "2024-01-04", count = 1 }
end)

t.test("tries again on the next bar after a rejection", function()
  -- 100 shares at 10 need 1000; 500 of cash is not enough until the price halves.
  local r = t.run{ strategy = "buy_and_hold", symbols = { "AAA" }, bars = bars{ 10, 10, 5, 5 }, cash = 500,
                   risk = { name = "fixed_quantity", params = { quantity = 100 } } }
  r:expect_rejection{ count = 2 }
  r:expect_signal{ at = "2024-01-04", count = 1 }
  r:expect_fill{ quantity = 100, price = 5, at = "2024-01-05" }
end)
