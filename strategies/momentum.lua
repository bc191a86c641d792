-- momentum: cross-sectional momentum, long only. On the first bar of each
-- calendar month it ranks the universe by rate of change over `lookback`
-- bars (TA-Lib ROC of the close, (close / close[lookback] - 1) x 100; ties by
-- symbol order), holds the top `top_k`, closes positions that dropped out and
-- opens the ones that entered. Symbols without a full lookback yet (or
-- without a bar this day) are not ranked. The risk policy sizes the opens
-- (fixed_fraction with fraction = 1 / top_k is a natural pairing).
local cal = require("qtrader.calendar")

local S = {
  name = "momentum",
  kind = "strategy",
  description = "Hold the top k symbols by rate of change, rebalanced monthly",
  params = {
    lookback = { default = 126, type = "integer", min = 1, max = 5000, description = "ROC period (bars)" },
    top_k = { default = 1, type = "integer", min = 1, max = 1000, description = "symbols held" },
  },
}

local roc = {}
local universe, top_k
local last_ts, last_month = nil, nil

function S.on_init(ctx, params)
  universe = ctx:universe()
  top_k = params.top_k
  for _, sym in ipairs(universe) do roc[sym] = ctx:indicator("roc", sym, "close", params.lookback) end
end

local function rebalance(ctx, ts)
  local ranked = {}
  for _, sym in ipairs(universe) do
    local r = roc[sym]:value()
    if r == r and ctx:value(sym, "ts") == ts then ranked[#ranked + 1] = { sym = sym, roc = r } end
  end
  table.sort(ranked, function(a, b)
    if a.roc ~= b.roc then return a.roc > b.roc end
    return a.sym < b.sym
  end)
  local keep = {}
  for i = 1, math.min(top_k, #ranked) do keep[ranked[i].sym] = true end
  for _, sym in ipairs(universe) do
    if ctx:position(sym) > 0 and not keep[sym] then
      ctx:emit_signal{ symbol = sym, intention = "close_long", tag = "dropped_out" }
    end
  end
  for i = 1, math.min(top_k, #ranked) do
    local sym = ranked[i].sym
    if ctx:position(sym) == 0 then
      ctx:emit_signal{ symbol = sym, intention = "open_long", tag = "entered_top" }
    end
  end
end

-- Every symbol's bar of a timestamp is in the history before the first
-- on_bar of that timestamp, so the whole universe is ranked once, on it.
function S.on_bar(ctx, bar)
  local ts = bar.ts
  if ts == last_ts then return end
  last_ts = ts
  local month = cal.month_key(ts)
  if month == last_month then return end
  last_month = month
  if not ctx:is_warmup() then rebalance(ctx, ts) end
end

return S
