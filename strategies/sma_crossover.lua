-- SMA crossover, long only (backtrader's CrossOver semantics).
-- Buys when the fast SMA crosses above the slow one and no position is open;
-- closes the long position when it crosses below.
--
-- Crossover: d = fast - slow; when d == 0 the previous non-zero d is kept
-- (the first defined d seeds it, even if zero). A cross up is "previous
-- non-zero d < 0 and now d > 0"; a cross down is the mirror. The first
-- decision is therefore possible on bar slow + 1.
local S = {
  name = "sma_crossover",
  kind = "strategy",
  description = "Fast/slow simple moving average crossover on close, long only",
  params = {
    fast = { default = 10, type = "integer", min = 1, description = "period of the fast SMA (bars)" },
    slow = { default = 30, type = "integer", min = 1, description = "period of the slow SMA (bars)" },
  },
}

local fast, slow = {}, {}  -- symbol handle -> indicator
local last_d = {}          -- symbol handle -> last non-zero fast - slow (nil before the first)

function S.on_init(ctx, params)
  for _, sym in ipairs(ctx:universe()) do
    fast[sym] = ctx:indicator("sma", sym, "close", params.fast)
    slow[sym] = ctx:indicator("sma", sym, "close", params.slow)
  end
end

function S.on_bar(ctx, bar)
  local sym = bar.symbol
  local f, s = fast[sym], slow[sym]
  if f == nil then return end
  local fv, sv = f:value(), s:value()
  if fv ~= fv or sv ~= sv then return end  -- NaN: an SMA is not ready yet

  local d = fv - sv
  local prev = last_d[sym]
  if prev == nil or d ~= 0 then last_d[sym] = d end
  if prev == nil then return end

  -- Most bars cross nothing: ask the host (a C call) only when one does.
  local up, down = prev < 0 and d > 0, prev > 0 and d < 0
  if not (up or down) or ctx:is_warmup() then return end
  if up then
    if ctx:position(sym) == 0 then
      ctx:emit_signal{ symbol = sym, intention = "open_long", price = bar.close, tag = "cross_up" }
    end
  elseif ctx:position(sym) > 0 then
    ctx:emit_signal{ symbol = sym, intention = "close_long", price = bar.close, tag = "cross_down" }
  end
end

return S
