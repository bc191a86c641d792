-- naive: each new position gets max_pct_position_size of equity (x the
-- strategy's budget weight), capped by the cash left (commission included).
-- A signal to open a side already held is rejected ("already long"); closes
-- close the whole position. The shared limits of qtrader.risk_rules apply
-- (max_weight, leverage caps, cash_buffer, budgets).
local rules = require("qtrader.risk_rules")

local P = {
  name = "naive",
  kind = "risk_policy",
  description = "Each new position sized to a fraction of equity, capped by cash",
  params = rules.params{
    max_pct_position_size = { default = 0.1, type = "number", min = 0, max = 1,
                              description = "fraction of equity per new position" },
  },
}

local cfg

function P.on_init(ctx, params) cfg = rules.config(params) end

local function size(ctx, s, capital, price)
  local pos = ctx:position(s.symbol)
  if s.intention == "open_long" and pos > 0 then return nil, "already long " .. s.symbol_name end
  if s.intention == "open_short" and pos < 0 then return nil, "already short " .. s.symbol_name end
  return capital * cfg.params.max_pct_position_size
end

function P.evaluate(ctx, signals, portfolio)
  return rules.evaluate(ctx, signals, portfolio, cfg, size)
end

return P
