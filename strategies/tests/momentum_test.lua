-- Tests of the built-in momentum (docs/strategy-tests.md).
local t = require("qtrader.testkit")

-- Weekdays from Thursday 2024-01-25 to Friday 2024-02-02. The run's first bar
-- starts a month but ROC(2) is not defined yet; on 2024-02-01, the first bar
-- of February, AAA is up 20 % over 2 bars and BBB 10 %: AAA is held, at half
-- of equity: 10000 * 0.5 / 12 = 416.67, whole shares 416.
local function run()
  return t.run{
    strategy = "momentum",
    params = { lookback = 2, top_k = 1, weight = 0.5 },
    bars = {
      AAA = t.daily{ start = "2024-01-25", close = { 10, 10, 10, 10, 10, 12, 12 } },
      BBB = t.daily{ start = "2024-01-25", close = { 20, 20, 20, 20, 20, 22, 22 } },
    },
    cash = 10000,
  }
end

t.test("holds the symbol with the highest rate of change from the month's first bar", function()
  local r = run()
  r:expect_no_signal{ at = "2024-01-25" }
  r:expect_signal{ symbol = "AAA", at = "2024-02-01", tag = "momentum", count = 1 }
  r:expect_no_signal{ symbol = "BBB" }
  r:expect_fill{ symbol = "AAA", side = "buy", quantity = 416, price = 12, at = "2024-02-02" }
  r:expect_position("AAA", 416)
end)
