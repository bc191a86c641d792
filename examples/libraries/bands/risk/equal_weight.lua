-- equal_weight: every opening signal invests an equal share of equity,
-- 1/slots of it (x the strategy's budget weight). The shared limits of the
-- built-in module qtrader.risk_rules apply: a library may require the
-- built-in modules as well as its own.
local rules = require("qtrader.risk_rules")

local P = {
  name = "equal_weight",
  kind = "risk_policy",
  description = "An equal share of equity per opening signal",
  params = rules.params{
    slots = { default = 5, type = "integer", min = 1, max = 1000,
              description = "how many positions share the equity" },
  },
}

local cfg

function P.on_init(ctx, params) cfg = rules.config(params) end

function P.evaluate(ctx, signals, portfolio)
  return rules.evaluate(ctx, signals, portfolio, cfg, function(ctx, s, capital)
    return capital / cfg.params.slots
  end)
end

return P
