-- buy_and_hold: buys every symbol of the universe once, on its first bar
-- after warm-up, and holds it to the end of the run. The risk policy sizes
-- the purchase. If the buy is rejected (e.g. for cash), it is retried on the
-- symbol's next bar; after an accepted order it never signals again.
local S = {
  name = "buy_and_hold",
  kind = "strategy",
  description = "Buy each symbol once on its first bar and hold it",
  params = {},
}

local done = {}     -- symbol handle -> true once its buy was accepted or filled
local pending = {}  -- signal id -> symbol handle, awaiting the risk policy

function S.on_bar(ctx, bar)
  local sym = bar.symbol
  if done[sym] or ctx:is_warmup() then return end
  for _, s in pairs(pending) do
    if s == sym then return end  -- a buy is already on its way
  end
  local id = ctx:emit_signal{ symbol = sym, intention = "open_long", price = bar.close, tag = "buy_and_hold" }
  pending[id] = sym
end

function S.on_order(ctx, event)
  local sym = pending[event.signal_id]
  if sym == nil then return end
  if event.status == "rejected" then
    pending[event.signal_id] = nil   -- try again on the next bar
  elseif event.status == "accepted" then
    pending[event.signal_id] = nil
    done[sym] = true
  end
end

return S
