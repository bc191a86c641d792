-- fixed_fraction: every opening signal invests `fraction` of equity (x the
-- strategy's budget weight); repeated signals add to a position, up to
-- max_weight. Closes close the whole position. The shared limits of
-- qtrader.risk_rules apply (max_weight, leverage caps, cash_buffer, budgets).
local rules = require("qtrader.risk_rules")

local P = {
  name = "fixed_fraction",
  kind = "risk_policy",
  description = "A fixed fraction of equity per opening signal",
  params = rules.params{
    fraction = { default = 0.1, type = "number", min = 0, max = 10,
                 description = "fraction of equity per opening signal" },
  },
}

local cfg

function P.on_init(ctx, params) cfg = rules.config(params) end

function P.evaluate(ctx, signals, portfolio)
  return rules.evaluate(ctx, signals, portfolio, cfg, function(ctx, s, capital)
    return capital * cfg.params.fraction
  end)
end

return P
