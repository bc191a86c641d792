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

-- One call per batch of signals, as columns (docs/writing-a-strategy.md
-- "Risk policies"): row i is answered with size[i] (shares) or reject[i].
function P.evaluate_batch(ctx, batch, portfolio)
  local n, intention, symbol, asked = batch.n, batch.intention, batch.symbol, batch.quantity
  local size, reject = batch.size, batch.reject
  local cash = ctx:cash()
  -- Target sales (closes with a quantity; a rebalance emits them first) pay
  -- for the batch's buys, as execution nets them. Plain closes do not count,
  -- as in backtrader.
  for i = 1, n do
    if asked[i] and intention[i] == "close_long" then
      local sym = symbol[i]
      local pos, price = ctx:position(sym), ctx:price(sym)
      local q = math.min(math.max(pos, 0), asked[i])
      if price == price and q > 0 then cash = cash + q * price - ctx:commission(sym, q, price) end
    end
  end
  for i = 1, n do
    local what, sym = intention[i], symbol[i]
    local wanted = asked[i] or quantity
    if what == "open_long" then
      local price = ctx:price(sym)
      if price ~= price then
        reject[i] = "no price for " .. batch.symbol_name[i]
      else
        -- A future's buy spends only its commission (execution checks its margin).
        local value = ctx:is_future(sym) and 0 or wanted * price
        local need = value + ctx:commission(sym, wanted, price)
        if need > cash then
          reject[i] = "insufficient cash: need " .. money(need) .. ", have " .. money(cash)
        else
          cash = cash - need
          size[i] = wanted
        end
      end
    elseif what == "close_long" then
      local pos = ctx:position(sym)
      if pos > 0 then size[i] = math.min(pos, asked[i] or pos)
      else reject[i] = "no long position to close" end
    elseif what == "open_short" then
      size[i] = wanted
    elseif what == "close_short" then
      local pos = ctx:position(sym)
      if pos < 0 then size[i] = math.min(-pos, asked[i] or -pos)
      else reject[i] = "no short position to close" end
    end
  end
end

return P
