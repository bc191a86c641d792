-- backtrader's SMA crossover sample, ported with qtrader.bt: the same fills
-- as the built-in sma_crossover and as backtrader itself on ORCL and YHOO
-- (tests/golden/backtrader_port_test.cpp).
local bt = require("qtrader.bt")

return bt.strategy{
  name = "sma_cross_bt",
  description = "SMA crossover written the backtrader way",
  params = {
    fast = { default = 10, type = "integer", min = 1 },
    slow = { default = 30, type = "integer", min = 1 },
  },
  init = function(self)
    local fast = self:indicator("sma", "close", self.p.fast)
    local slow = self:indicator("sma", "close", self.p.slow)
    self.crossover = self:crossover(fast, slow)
  end,
  next = function(self)
    if self.position.size == 0 then
      if self.crossover.value > 0 then self:buy{ tag = "cross_up" } end
    elseif self.crossover.value < 0 then
      self:close{ tag = "cross_down" }
    end
  end,
}
