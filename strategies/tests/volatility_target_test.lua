-- Tests of the built-in risk policy volatility_target (docs/strategy-tests.md).
local t = require("qtrader.testkit")

t.test("rejects until lookback + 1 closes are known, then sizes", function()
  -- buy_and_hold signals on every bar until an order is accepted.
  local r = t.run{
    strategy = "buy_and_hold",
    risk = { name = "volatility_target", params = { lookback = 2 } },
    bars = { AAA = t.daily{ start = "2024-01-02", close = { 10, 11, 10, 10 } } },
    cash = 10000,
  }
  r:expect_rejection{ at = "2024-01-02", reason = "volatility needs 3 closes of AAA, have 1" }
  r:expect_rejection{ at = "2024-01-03", reason = "volatility needs 3 closes of AAA, have 2" }
  r:expect_rejection{ count = 2 }
  r:expect_order{ symbol = "AAA", side = "buy", at = "2024-01-04", count = 1 }
end)
