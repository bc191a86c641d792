-- The on_tick benchmark's strategy (docs/benchmarks.md "Ticks"): takes every
-- trade through on_tick (a count, the last price, the session's high and
-- low) and records the count at each bar; no orders.
local S = { name = "tick_counter" }

local n, last, high, low = 0, 0, -math.huge, math.huge

function S.on_tick(ctx, tick)
  n = n + 1
  local p = tick.price
  last = p
  if p > high then high = p end
  if p < low then low = p end
end

function S.on_bar(ctx, bar) end

function S.on_stop(ctx)
  ctx:log("info", string.format("%d ticks, last %.2f, high %.2f, low %.2f", n, last, high, low))
end

return S
