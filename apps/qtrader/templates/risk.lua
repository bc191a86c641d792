-- {{NAME}}: invests a fraction of equity per opening signal, in whole shares
-- at the last close; closes whole long positions; rejects anything else.
--
-- A qtrader risk policy (docs/lua-api.md, "Risk policies"; written by
-- `qtrader new risk`). Every timestamp, evaluate() gets the signals the
-- strategies emitted and answers each with a quantity or a rejection; the
-- engine turns the quantities into orders. Tests: tests/{{NAME}}_test.lua.
local P = {
  name = "{{NAME}}",
  kind = "risk_policy",
  description = "A fraction of equity per opening signal, in whole shares",
  params = {
    -- Bounded so that a typo such as 10 (for 0.10) is refused before the run.
    fraction = { default = 0.1, type = "number", min = 0.0001, max = 1,
                 description = "fraction of equity per opening signal" },
  },
}

local fraction

function P.on_init(ctx, params)
  fraction = params.fraction
end

function P.evaluate(ctx, signals, portfolio)
  local decisions = {}
  for i, s in ipairs(signals) do
    local held = ctx:position(s.symbol)
    if s.intention == "open_long" then
      local price = ctx:price(s.symbol)
      -- NaN (no bar yet) fails every comparison: test it explicitly.
      local shares = price == price and price > 0 and math.floor(portfolio.equity * fraction / price) or 0
      if shares >= 1 then
        decisions[i] = { signal = s.id, quantity = shares }
      else
        -- The reason reaches the strategy's on_order and events.sqlite.
        decisions[i] = { signal = s.id, reject = "less than one share for " .. s.symbol_name }
      end
    elseif s.intention == "close_long" and held > 0 then
      decisions[i] = { signal = s.id, quantity = held }
    else
      decisions[i] = { signal = s.id, reject = s.intention .. " is not handled by {{NAME}}" }
    end
  end
  return decisions
end

return P
