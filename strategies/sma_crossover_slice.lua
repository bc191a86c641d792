-- sma_crossover's decisions through on_slice: one call per timestamp with
-- the universe's bars as columns, the SMAs read as columns aligned with
-- them, so a whole timestamp is one Lua loop with no C call per bar (the
-- JIT compiles it where it runs). Same trades, fills and equity as
-- sma_crossover (tests/strategies/slice_test.cpp).
--
-- Crossover: d = fast - slow; when d == 0 the previous non-zero d is kept
-- (the first defined d seeds it, even if zero). A cross up is "previous
-- non-zero d < 0 and now d > 0"; a cross down is the mirror.
local S = {
  name = "sma_crossover_slice",
  kind = "strategy",
  description = "Fast/slow simple moving average crossover on close, long only, one call per timestamp",
  params = {
    fast = { default = 10, type = "integer", min = 1, description = "period of the fast SMA (bars)" },
    slow = { default = 30, type = "integer", min = 1, description = "period of the slow SMA (bars)" },
  },
}

local fast, slow  -- indicator sets over the universe
local last_d = {} -- symbol handle -> last non-zero fast - slow (nil before the first)

function S.on_init(ctx, params)
  local universe = ctx:universe()
  fast = ctx:indicators("sma", universe, "close", params.fast)
  slow = ctx:indicators("sma", universe, "close", params.slow)
end

function S.on_slice(ctx, slice)
  local symbol, fv, sv = slice.symbol, fast.value, slow.value
  local warmup -- asked of the host once, and only when something crosses
  for i = 1, slice.n do
    local f, s = fv[i], sv[i]
    if f == f and s == s then -- NaN: an SMA is not ready yet
      local sym = symbol[i]
      local d = f - s
      local prev = last_d[sym]
      if prev == nil or d ~= 0 then last_d[sym] = d end
      if prev ~= nil then
        local up, down = prev < 0 and d > 0, prev > 0 and d < 0
        if up or down then
          if warmup == nil then warmup = ctx:is_warmup() end
          if not warmup then
            if up then
              if ctx:position(sym) == 0 then
                ctx:emit_signal{ symbol = sym, intention = "open_long", price = slice.close[i], tag = "cross_up" }
              end
            elseif ctx:position(sym) > 0 then
              ctx:emit_signal{ symbol = sym, intention = "close_long", price = slice.close[i], tag = "cross_down" }
            end
          end
        end
      end
    end
  end
end

return S
