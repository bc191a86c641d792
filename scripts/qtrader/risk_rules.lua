-- The rules every sizing risk policy shares: closes, per-strategy capital
-- budgets, the max position weight, gross and net leverage caps, and a cash
-- buffer. A policy only says how much money an opening signal should get;
-- this module turns that into a whole number of shares within the limits, or
-- a rejection naming the limit that left nothing.
--
--   local rules = require("qtrader.risk_rules")
--   local P = { name = "my_policy", kind = "risk_policy",
--               params = rules.params{ fraction = { default = 0.1, type = "number", min = 0, max = 1 } } }
--   local cfg
--   function P.on_init(ctx, params) cfg = rules.config(params) end
--   function P.evaluate(ctx, signals, portfolio)
--     return rules.evaluate(ctx, signals, portfolio, cfg, function(ctx, s, capital, price)
--       return capital * cfg.params.fraction          -- money for this opening signal
--     end)
--   end
--
-- Order of work in one batch (the signals of one timestamp):
-- 1. Closing signals (close_long, close_short) close the whole position of
--    that side, or are rejected when there is none. With use_close_proceeds,
--    their value at the last close (less commission) counts as cash for the
--    opens of the same batch.
-- 2. Opening signals, in signal order. capital = equity x the strategy's
--    budget weight (1 without budgets). The policy's size_open(ctx, signal,
--    capital, price) returns the money to invest (or nil, reason). The value is
--    then cut to the room left under: max_weight x equity for the position;
--    max_gross_leverage x equity for the sum of |positions|; max_net_leverage x
--    equity for |longs - shorts|; and, for buys, the cash above cash_buffer x
--    equity, commission included. quantity = floor(value / price).
-- A signal with a `quantity` (ctx:target_*, ctx:rebalance) asks for that many
-- shares: a close closes that many (at most the position), an open is worth
-- quantity x price instead of what size_open says; every cap above still
-- applies to it.
-- Prices: a limit order's limit price, else the symbol's last close.
-- Futures (docs/futures.md): a position's value is its notional, quantity x
-- multiplier x price (ctx:multiplier), in every cap and in the quantity; a
-- future spends no cash (margin, which execution checks), so the cash cap
-- does not apply to it and only its commission counts against cash.
local M = {}

-- The params every policy shares, in the order `qtrader list` shows them
-- (after the policy's own).
M.common = {
  { name = "max_weight", default = 1.0, type = "number", min = 0,
    description = "largest position value as a fraction of equity" },
  { name = "max_gross_leverage", default = 1.0, type = "number", min = 0,
    description = "cap on sum |position value| / equity" },
  { name = "max_net_leverage", default = 1.0, type = "number", min = 0,
    description = "cap on |long value - short value| / equity" },
  { name = "cash_buffer", default = 0.0, type = "number", min = 0, max = 1,
    description = "fraction of equity kept in cash (buys only)" },
  { name = "budgets", default = {}, type = "list",
    description = "per-strategy capital weights: a list of {strategy_id, capital_weight}, "
               .. "or \"strategy_id=weight, ...\"; strategies not listed get no capital" },
  { name = "use_close_proceeds", default = true, type = "boolean",
    description = "count the proceeds of the batch's closes as cash for its opens" },
  { name = "whole_shares", default = true, type = "boolean", description = "round quantities down to whole shares" },
}

-- The policy's own params (a table keyed by name) followed by the common ones,
-- as a list of params; its own win on a name clash. The host lists the own
-- params in the order the policy's source writes them.
function M.params(own)
  local out, names = {}, {}
  for k in pairs(own or {}) do names[#names + 1] = k end
  table.sort(names)
  for _, k in ipairs(names) do
    local v = own[k]
    local entry = { name = k }
    if type(v) == "table" then
      for f, x in pairs(v) do entry[f] = x end
    else
      entry.default = v
    end
    out[#out + 1] = entry
  end
  for _, p in ipairs(M.common) do
    if own == nil or own[p.name] == nil then out[#out + 1] = p end
  end
  return out
end

local function add_budget(out, id, weight, what)
  if type(id) ~= "string" or id == "" or type(weight) ~= "number" or not (weight >= 0 and weight <= 1) then
    error("budgets: expected " .. what, 0)
  end
  if out[id] then error("budgets: strategy '" .. id .. "' is listed twice", 0) end
  out[id] = weight
  return weight
end

-- Budgets as written in the config -> { strategy_id = weight } (nil when none):
--   a list of { strategy_id = "a", capital_weight = 0.6 } (YAML: a list of mappings),
--   or the compact string "a=0.6, b=0.4".
-- Errors on a malformed entry, a strategy listed twice or weights adding up to more than 1.
function M.parse_budgets(budgets)
  local out, total, any = {}, 0, false
  if type(budgets) == "table" then
    for k in pairs(budgets) do
      if type(k) ~= "number" then
        error("budgets: expected a list of {strategy_id, capital_weight}, got a mapping (key '" .. tostring(k) .. "')", 0)
      end
    end
    for i, entry in ipairs(budgets) do
      local what = string.format("entry %d to be {strategy_id = name, capital_weight = 0..1}", i)
      if type(entry) ~= "table" then error("budgets: expected " .. what .. ", got a " .. type(entry), 0) end
      for k in pairs(entry) do
        if k ~= "strategy_id" and k ~= "capital_weight" then
          error("budgets: entry " .. i .. " has unknown key '" .. tostring(k) .. "' (expected strategy_id, capital_weight)", 0)
        end
      end
      total = total + add_budget(out, entry.strategy_id, entry.capital_weight, what)
      any = true
    end
  else
    for entry in string.gmatch(budgets, "[^,]+") do
      local id, w = string.match(entry, "^%s*([^=%s]+)%s*=%s*([^%s]+)%s*$")
      total = total + add_budget(out, id, tonumber(w),
                                 "\"strategy_id=weight\" with 0 <= weight <= 1, got \"" .. entry .. "\"")
      any = true
    end
  end
  if total > 1 + 1e-12 then error(string.format("budgets: weights add up to %.6g, above 1", total), 0) end
  return any and out or nil
end

-- Checked configuration from the resolved params (call in on_init).
function M.config(params)
  return {
    params = params,
    max_weight = params.max_weight,
    max_gross = params.max_gross_leverage,
    max_net = params.max_net_leverage,
    cash_buffer = params.cash_buffer,
    budgets = M.parse_budgets(params.budgets or {}),
    use_close_proceeds = params.use_close_proceeds,
    whole_shares = params.whole_shares,
  }
end

local function money(x) return string.format("%.2f", x) end

local function close_decision(ctx, s, state, cfg)
  local pos = ctx:position(s.symbol)
  local qty
  if s.intention == "close_long" then
    if pos <= 0 then return { signal = s.id, reject = "no long position to close" } end
    qty = pos
  else
    if pos >= 0 then return { signal = s.id, reject = "no short position to close" } end
    qty = -pos
  end
  if s.quantity then qty = math.min(qty, s.quantity) end
  local price = ctx:price(s.symbol)
  if cfg.use_close_proceeds and price == price then
    local value, fee = qty * ctx:multiplier(s.symbol) * price, ctx:commission(s.symbol, qty, price)
    if ctx:is_future(s.symbol) then
      state.cash = state.cash - fee
      state.net = state.net + (s.intention == "close_long" and -value or value)
    elseif s.intention == "close_long" then
      state.cash = state.cash + value - fee
      state.net = state.net - value
    else
      state.cash = state.cash - value - fee
      state.net = state.net + value
    end
    state.gross = state.gross - value
  end
  return { signal = s.id, quantity = qty }
end

local function open_decision(ctx, s, state, cfg, size_open)
  local price = s.limit_price or ctx:price(s.symbol)
  if price ~= price or price <= 0 then return { signal = s.id, reject = "no price for " .. s.symbol_name } end
  local weight = 1
  if cfg.budgets then
    weight = cfg.budgets[s.strategy_id]
    if not weight or weight <= 0 then
      return { signal = s.id, reject = "no capital budget for strategy '" .. s.strategy_id .. "'" }
    end
  end
  local equity = state.equity
  local mult, future = ctx:multiplier(s.symbol), ctx:is_future(s.symbol)
  local unit = mult * price  -- the value of one share or contract
  local value, why
  if s.quantity then value = s.quantity * unit else value, why = size_open(ctx, s, equity * weight, price) end
  if not value then return { signal = s.id, reject = why or "the policy sized nothing" } end
  if value ~= value or value <= 0 then
    return { signal = s.id, reject = why or "the policy sized the position to zero" }
  end

  local long = s.intention == "open_long"
  local limit_reason
  local function cap(room, reason)
    if room < value then
      value = room
      limit_reason = reason
    end
  end
  local held = math.abs(ctx:position(s.symbol)) * unit
  cap(cfg.max_weight * equity - held,
      string.format("max_weight %.4g reached (position %s of equity %s)", cfg.max_weight, money(held), money(equity)))
  cap(cfg.max_gross * equity - state.gross,
      string.format("gross leverage cap %.4g reached (gross exposure %s)", cfg.max_gross, money(state.gross)))
  if long then
    cap(cfg.max_net * equity - state.net,
        string.format("net leverage cap %.4g reached (net exposure %s)", cfg.max_net, money(state.net)))
    local rate = ctx:commission(s.symbol, 1, price) / price
    local spendable = state.cash - cfg.cash_buffer * equity
    if not future then cap(spendable / (1 + rate),
        cfg.cash_buffer > 0 and string.format("insufficient cash above the %.4g buffer: have %s", cfg.cash_buffer, money(state.cash))
                            or "insufficient cash: have " .. money(state.cash)) end
  else
    cap(cfg.max_net * equity + state.net,
        string.format("net leverage cap %.4g reached (net exposure %s)", cfg.max_net, money(state.net)))
  end

  local qty = value / unit
  if cfg.whole_shares then qty = math.floor(qty + 1e-9) end
  if not (qty > 0) then return { signal = s.id, reject = limit_reason or "sized below one share" } end

  local amount, fee = qty * unit, ctx:commission(s.symbol, qty, price)
  if future then
    state.cash = state.cash - fee
    state.net = state.net + (long and amount or -amount)
  elseif long then
    state.cash = state.cash - amount - fee
    state.net = state.net + amount
  else
    state.cash = state.cash + amount - fee
    state.net = state.net - amount
  end
  state.gross = state.gross + amount
  return { signal = s.id, quantity = qty }
end

-- Decisions for one batch; see the header for the rules.
function M.evaluate(ctx, signals, portfolio, cfg, size_open)
  local state = { cash = ctx:cash(), equity = portfolio.equity, gross = portfolio.gross_exposure,
                  net = portfolio.net_exposure }
  local decisions = {}
  for i, s in ipairs(signals) do
    if s.intention == "close_long" or s.intention == "close_short" then
      decisions[i] = close_decision(ctx, s, state, cfg)
    end
  end
  for i, s in ipairs(signals) do
    if not decisions[i] then decisions[i] = open_decision(ctx, s, state, cfg, size_open) end
  end
  return decisions
end

return M
