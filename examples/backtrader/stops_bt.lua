-- An SMA trend entry with a protective stop `stop` below the close and an
-- exit when the close falls 2 % under the SMA, ported with qtrader.bt
-- (backtrader's buy_bracket with a stop only): the same fills as
-- tests/fixtures/backtrader_port/stops_ctx.lua, its plain-ctx twin.
local bt = require("qtrader.bt")

return bt.strategy{
  name = "stops_bt",
  description = "Trend entries with a protective stop, the backtrader way",
  params = { period = { default = 20, type = "integer", min = 1 }, stop = { default = 0.05, type = "number" } },
  init = function(self)
    self.sma = self:indicator("sma", "close", self.p.period)
  end,
  next = function(self)
    if self.position.size == 0 and self.data.close > self.sma:value() then
      self:buy{ size = 100, stop_loss = self.data.close * (1 - self.p.stop), tag = "trend" }
    elseif self.position.size > 0 and self.data.close < self.sma:value() * 0.98 then
      self:close{ tag = "trend_end" }
    end
  end,
}
