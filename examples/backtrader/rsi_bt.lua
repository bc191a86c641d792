-- An RSI mean reversion, ported with qtrader.bt: the same fills as the
-- built-in rsi_mean_reversion (tests/golden/backtrader_port_test.cpp).
local bt = require("qtrader.bt")

return bt.strategy{
  name = "rsi_bt",
  description = "RSI mean reversion written the backtrader way",
  params = {
    period = { default = 14, type = "integer", min = 2 },
    lower = { default = 30, type = "number" },
    upper = { default = 70, type = "number" },
  },
  init = function(self)
    self.rsi = self:indicator("rsi", "close", self.p.period)
  end,
  next = function(self)
    local r = self.rsi:value()
    if self.position.size == 0 and r < self.p.lower then
      self:buy{ tag = "rsi_low" }
    elseif self.position.size > 0 and r > self.p.upper then
      self:sell{ tag = "rsi_high" }
    end
  end,
}
