-- max_weight: an opening signal tops its position up to max_weight of equity
-- (x the strategy's budget weight): buys the difference between that target
-- and what is held, and rejects the signal once the position is at its cap.
-- Closes close the whole position. The shared limits of qtrader.risk_rules apply.
local rules = require("qtrader.risk_rules")

local P = {
  name = "max_weight",
  kind = "risk_policy",
  description = "Tops each position up to a maximum weight of equity",
  params = rules.params{
    max_weight = { default = 0.1, type = "number", min = 0, max = 10,
                   description = "target and cap of each position's value / equity" },
  },
}

local cfg

function P.on_init(ctx, params) cfg = rules.config(params) end

function P.evaluate(ctx, signals, portfolio)
  return rules.evaluate(ctx, signals, portfolio, cfg, function(ctx, s, capital, price)
    local held = math.abs(ctx:position(s.symbol)) * ctx:multiplier(s.symbol) * price
    local room = cfg.params.max_weight * capital - held
    if room <= 0 then return nil, string.format("max_weight %.4g reached for %s", cfg.params.max_weight, s.symbol_name) end
    return room
  end)
end

return P
