-- Tests of the risk policy {{NAME}} (docs/strategy-tests.md): the built-in
-- buy_and_hold strategy signals once, this policy sizes the order, and the
-- real execution rules fill it. Run them with `qtrader test FOLDER`.
local t = require("qtrader.testkit")

local bars = t.daily{ start = "2024-01-02", close = { 10, 10, 10 } }

local function run(fraction, cash)
  return t.run{
    strategy = "buy_and_hold",
    risk = { name = "{{NAME}}", params = { fraction = fraction } },
    symbols = { "TEST" },
    bars = bars,
    cash = cash,
  }
end

t.test("sizes an opening signal at a fraction of equity", function()
  local r = run(0.5, 10000)
  -- 10000 * 0.5 / 10 = 500 shares, filled at the next bar's open.
  r:expect_order{ symbol = "TEST", side = "buy", quantity = 500 }
  r:expect_fill{ symbol = "TEST", quantity = 500, price = 10, at = "2024-01-03" }
  r:expect_position("TEST", 500)
end)

t.test("rejects a signal worth less than one share", function()
  local r = run(0.001, 1000)
  r:expect_rejection{ reason = "less than one share for TEST" }
  r:expect_no_fill{}
end)
