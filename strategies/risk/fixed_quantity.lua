-- Sizes every opening signal at a fixed number of shares and closes whole
-- positions; a signal that asks for a quantity (ctx:target_*, ctx:rebalance)
-- gets that quantity instead (a close: at most the position). Like backtrader, an opening buy is refused when its value plus
-- commission at the signal bar's close exceeds the cash left (cash already
-- committed to earlier buys of the same batch counts as spent). A future's
-- buy needs only its commission in cash (docs/futures.md).
local P = {
  name = "fixed_quantity",
  kind = "risk_policy",
  description = "Fixed share quantity per opening signal; closes whole positions",
  params = {
    quantity = { default = 100, type = "number", description = "shares per opening signal (> 0)" },
  },
}

local quantity = 100

function P.on_init(ctx, params)
  quantity = params.quantity
  if not (quantity > 0) then error("fixed_quantity: quantity must be > 0, got " .. tostring(quantity)) end
end

local function money(x) return string.format("%.2f", x) end

function P.evaluate(ctx, signals, portfolio)
  local decisions = {}
  local cash = ctx:cash()
  -- Target sales (closes with a quantity; a rebalance emits them first) pay
  -- for the batch's buys, as execution nets them. Plain closes do not count,
  -- as in backtrader.
  for _, s in ipairs(signals) do
    if s.quantity and s.intention == "close_long" then
      local pos, price = ctx:position(s.symbol), ctx:price(s.symbol)
      local q = math.min(math.max(pos, 0), s.quantity)
      if price == price and q > 0 then cash = cash + q * price - ctx:commission(s.symbol, q, price) end
    end
  end
  for i, s in ipairs(signals) do
    local d
    local wanted = s.quantity or quantity
    if s.intention == "open_long" then
      local price = ctx:price(s.symbol)
      if price ~= price then
        d = { signal = s.id, reject = "no price for " .. s.symbol_name }
      else
        -- A future's buy spends only its commission (execution checks its margin).
        local value = ctx:is_future(s.symbol) and 0 or wanted * price
        local need = value + ctx:commission(s.symbol, wanted, price)
        if need > cash then
          d = { signal = s.id, reject = "insufficient cash: need " .. money(need) .. ", have " .. money(cash) }
        else
          cash = cash - need
          d = { signal = s.id, quantity = wanted }
        end
      end
    elseif s.intention == "close_long" then
      local pos = ctx:position(s.symbol)
      if pos > 0 then d = { signal = s.id, quantity = math.min(pos, s.quantity or pos) }
      else d = { signal = s.id, reject = "no long position to close" } end
    elseif s.intention == "open_short" then
      d = { signal = s.id, quantity = wanted }
    elseif s.intention == "close_short" then
      local pos = ctx:position(s.symbol)
      if pos < 0 then d = { signal = s.id, quantity = math.min(-pos, s.quantity or -pos) }
      else d = { signal = s.id, reject = "no short position to close" } end
    end
    decisions[i] = d
  end
  return decisions
end

return P
