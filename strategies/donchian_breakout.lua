-- donchian_breakout: long only channel breakout (the turtle rule).
-- Buys when the close rises above the highest high of the previous `entry`
-- bars (the channel excludes the current bar) and no position is held;
-- sells the whole position when the close falls below the lowest low of the
-- previous `exit` bars. First possible signal: bar entry + 1.
local S = {
  name = "donchian_breakout",
  kind = "strategy",
  description = "Buy a close above the N-bar high, sell a close below the M-bar low",
  params = {
    entry = { default = 20, type = "integer", min = 1, max = 1000, description = "bars of the entry channel (highest high)" },
    exit = { default = 10, type = "integer", min = 1, max = 1000, description = "bars of the exit channel (lowest low)" },
  },
}

local upper, lower = {}, {}

function S.on_init(ctx, params)
  for _, sym in ipairs(ctx:universe()) do
    upper[sym] = ctx:indicator("highest", sym, "high", params.entry)
    lower[sym] = ctx:indicator("lowest", sym, "low", params.exit)
  end
end

function S.on_bar(ctx, bar)
  if ctx:is_warmup() then return end
  local sym = bar.symbol
  local hi, lo = upper[sym]:value(1), lower[sym]:value(1)  -- the channels up to the previous bar
  local pos = ctx:position(sym)
  if pos == 0 and hi == hi and bar.close > hi then
    ctx:emit_signal{ symbol = sym, intention = "open_long", price = bar.close, tag = "breakout" }
  elseif pos > 0 and lo == lo and bar.close < lo then
    ctx:emit_signal{ symbol = sym, intention = "close_long", price = bar.close, tag = "breakdown" }
  end
end

return S
