-- volatility_target: sizes each opening signal so that the position's weight
-- times its recent annualized volatility equals target_volatility:
--   vol    = sample stdev of the last `lookback` daily log returns of close
--            (lookback + 1 closes, up to the signal's bar) x sqrt(periods_per_year)
--   weight = min(target_volatility / vol, max_weight)
--   value  = weight x equity (x the strategy's budget weight)
-- A signal whose symbol has fewer than lookback + 1 closes is rejected.
-- Closes close the whole position. The shared limits of qtrader.risk_rules apply.
local rules = require("qtrader.risk_rules")
local stats = require("qtrader.stats")

local P = {
  name = "volatility_target",
  kind = "risk_policy",
  description = "Position weight = target volatility / recent annualized volatility",
  params = rules.params{
    target_volatility = { default = 0.10, type = "number", min = 0,
                          description = "annualized volatility each position aims at (0.10 = 10%)" },
    lookback = { default = 20, type = "integer", min = 2, max = 10000, description = "returns in the estimate" },
    periods_per_year = { default = 252, type = "number", min = 1, description = "bars per year, to annualize" },
  },
}

local cfg

function P.on_init(ctx, params)
  cfg = rules.config(params)
  ctx:keep_history(params.lookback + 1)  -- full windows from the first signal on
end

local function size(ctx, s, capital)
  local p = cfg.params
  local closes = ctx:history(s.symbol, "close", p.lookback + 1)
  if #closes < p.lookback + 1 then
    return nil, string.format("volatility needs %d closes of %s, have %d", p.lookback + 1, s.symbol_name, #closes)
  end
  local vol = stats.annualized_volatility(closes, p.periods_per_year)
  if not (vol > 0) then return nil, "zero volatility for " .. s.symbol_name end
  local weight = math.min(p.target_volatility / vol, cfg.max_weight)
  return weight * capital
end

function P.evaluate(ctx, signals, portfolio)
  return rules.evaluate(ctx, signals, portfolio, cfg, size)
end

return P
