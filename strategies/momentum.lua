-- momentum: cross-sectional momentum, long only. On the first bar of each
-- calendar month it ranks the universe by rate of change over `lookback`
-- bars (TA-Lib ROC of the close, (close / close[lookback] - 1) x 100; ties by
-- symbol order), holds the top `top_k`, and rotates with one ctx:rebalance:
-- symbols that dropped out go to 0, symbols that entered to weight / top_k
-- of equity; symbols that stay are left as they are. The rebalance emits its
-- sales before its buys and execution nets them, so a rotation's buy is never
-- refused for cash the same rotation frees. Symbols without a full lookback
-- yet (or without a bar this day) are not ranked. The risk policy may still
-- cap the targets (docs/lua-api.md "Targets").
local cal = require("qtrader.calendar")

local S = {
  name = "momentum",
  kind = "strategy",
  description = "Hold the top k symbols by rate of change, rebalanced monthly",
  params = {
    lookback = { default = 126, type = "integer", min = 1, max = 5000, description = "ROC period (bars)" },
    top_k = { default = 1, type = "integer", min = 1, max = 1000, description = "symbols held" },
    weight = { default = 0.95, type = "number", min = 0, max = 10,
               description = "fraction of equity held, split equally among the top_k" },
  },
}

local roc = {}
local universe, top_k, each
local last_ts, last_month = nil, nil

function S.on_init(ctx, params)
  universe = ctx:universe()
  top_k = params.top_k
  each = params.weight / params.top_k
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
  local targets, any = {}, false
  for _, sym in ipairs(universe) do
    local held = ctx:position(sym) > 0
    if held and not keep[sym] then targets[sym] = 0; any = true end
    if keep[sym] and not held then targets[sym] = each; any = true end
  end
  if any then ctx:rebalance(targets, "momentum") end
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
