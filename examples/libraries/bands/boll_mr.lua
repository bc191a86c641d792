-- boll_mr: Bollinger-band mean reversion, long only. Buys when the close
-- falls `width` standard deviations below its `period`-bar mean and no
-- position is held; sells when the close is back above the mean.
local rolling = require("lib.rolling")  -- this library's lib/rolling.lua

local S = {
  name = "boll_mr",
  kind = "strategy",
  description = "Buy below the lower Bollinger band, sell at the mean",
  params = {
    period = { default = 20, type = "integer", min = 2, max = 500, description = "window (bars)" },
    width = { default = 2.0, type = "number", min = 0.1, max = 10, description = "band width (std devs)" },
  },
}

local windows = {}
local width

function S.on_init(ctx, params)
  width = params.width
  for _, sym in ipairs(ctx:universe()) do windows[sym] = rolling.new(params.period) end
end

function S.on_bar(ctx, bar)
  local w = windows[bar.symbol]
  rolling.push(w, bar.close)
  if not rolling.ready(w) or ctx:is_warmup() then return end
  local mean, sd = rolling.mean(w), rolling.stddev(w)
  local pos = ctx:position(bar.symbol)
  if pos == 0 and bar.close < mean - width * sd then
    ctx:emit_signal{ symbol = bar.symbol, intention = "open_long", price = bar.close, tag = "below_band" }
  elseif pos > 0 and bar.close > mean then
    ctx:emit_signal{ symbol = bar.symbol, intention = "close_long", price = bar.close, tag = "at_mean" }
  end
end

return S
