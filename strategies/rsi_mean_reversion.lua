-- rsi_mean_reversion: long only. Buys when RSI(period) of the close is below
-- `lower` and no position is held; sells the whole position when RSI rises
-- above `upper`. RSI is TA-Lib's (Wilder smoothing, first value on bar
-- period + 1). Signals are decided on a bar's close and fill at the next
-- bar's open (the default fill policy).
local S = {
  name = "rsi_mean_reversion",
  kind = "strategy",
  description = "Buy when RSI falls below a lower level, sell when it rises above an upper level",
  params = {
    period = { default = 14, type = "integer", min = 2, max = 1000, description = "RSI period (bars)" },
    lower = { default = 30, type = "number", min = 0, max = 100, description = "buy below this RSI" },
    upper = { default = 70, type = "number", min = 0, max = 100, description = "sell above this RSI" },
  },
}

local rsi = {}
local lower, upper

function S.on_init(ctx, params)
  if params.lower >= params.upper then error("rsi_mean_reversion: lower must be below upper") end
  lower, upper = params.lower, params.upper
  for _, sym in ipairs(ctx:universe()) do rsi[sym] = ctx:indicator("rsi", sym, "close", params.period) end
end

function S.on_bar(ctx, bar)
  local sym = bar.symbol
  local r = rsi[sym]:value()
  if r ~= r or ctx:is_warmup() then return end  -- NaN: RSI not ready
  local pos = ctx:position(sym)
  if pos == 0 and r < lower then
    ctx:emit_signal{ symbol = sym, intention = "open_long", price = bar.close, tag = "rsi_low" }
  elseif pos > 0 and r > upper then
    ctx:emit_signal{ symbol = sym, intention = "close_long", price = bar.close, tag = "rsi_high" }
  end
end

return S
