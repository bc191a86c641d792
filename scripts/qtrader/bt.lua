-- Backtrader-flavoured strategies on qtrader (docs/migrating-from-backtrader.md).
--
--   local bt = require("qtrader.bt")
--   return bt.strategy{
--     name = "sma_cross", params = { fast = { default = 10, type = "integer" } },
--     init = function(self)                       -- once per symbol of the universe
--       self.fast = self:indicator("sma", "close", self.p.fast)
--       self.cross = self:crossover(self.fast, self:indicator("sma", "close", 30))
--     end,
--     next = function(self)                       -- each bar, once the indicators are ready
--       if self.position.size == 0 and self.cross.value > 0 then self:buy()
--       elseif self.position.size > 0 and self.cross.value < 0 then self:close() end
--     end,
--     notify_order = function(self, order) end,   -- on_order's event
--     notify_trade = function(self, trade) end,   -- a position opened or closed {isopen, isclosed, size, price}
--   }
--
-- One `self` per symbol of the universe (backtrader's strategy over one data
-- feed); self.data is the current bar, self.position.size the net position.
-- Orders are signals: buy/sell without `size` let the risk policy size them
-- (backtrader's sizer), with `size` they ask for that many shares.
local M = {}

local Instance = {}
Instance.__index = Instance

local function order_fields(self, args, intention)
  args = args or {}
  local sig = { symbol = self.symbol, intention = intention, price = self.data.close, tag = args.tag,
                quantity = args.size, stop_loss = args.stop_loss, take_profit = args.take_profit }
  local exectype = args.exectype or "Market"
  if exectype == "Limit" then
    sig.order_type, sig.limit_price = "limit", args.price
  elseif exectype == "Stop" then
    sig.order_type, sig.stop_price = "stop", args.price
  elseif exectype ~= "Market" then
    error("qtrader.bt: exectype must be \"Market\", \"Limit\" or \"Stop\", got " .. tostring(exectype), 3)
  end
  return sig
end

-- backtrader's buy(): covers a short first, else opens or adds to a long.
function Instance:buy(args)
  local pos = self.ctx:position(self.symbol)
  return self.ctx:emit_signal(order_fields(self, args, pos < 0 and "close_short" or "open_long"))
end

-- backtrader's sell(): reduces a long first, else opens or adds to a short.
function Instance:sell(args)
  local pos = self.ctx:position(self.symbol)
  return self.ctx:emit_signal(order_fields(self, args, pos > 0 and "close_long" or "open_short"))
end

-- backtrader's close(): flattens the position (nothing when flat).
function Instance:close(args)
  local pos = self.ctx:position(self.symbol)
  if pos == 0 then return nil end
  return self.ctx:emit_signal(order_fields(self, args, pos > 0 and "close_long" or "close_short"))
end

function Instance:order_target_size(target, tag) return self.ctx:target_quantity(self.symbol, target, tag) end
function Instance:order_target_value(target, tag) return self.ctx:target_value(self.symbol, target, tag) end
function Instance:order_target_percent(target, tag) return self.ctx:target_percent(self.symbol, target, tag) end
function Instance:cancel(order_id) return self.ctx:cancel(order_id) end
function Instance:log(...) return self.ctx:log(...) end

-- An indicator on this symbol; next() waits until every one is ready (backtrader's minperiod).
function Instance:indicator(kind, field, ...)
  local ind = self.ctx:indicator(kind, self.symbol, field, ...)
  self._indicators[#self._indicators + 1] = ind
  return ind
end

-- backtrader's CrossOver(a, b): .value is 1 on the bar a crosses above b,
-- -1 below, else 0; a touch (a == b) keeps the previous side.
function Instance:crossover(a, b)
  local line = { a = a, b = b, value = 0, last = nil }
  self._crossovers[#self._crossovers + 1] = line
  return line
end

local function update_crossovers(self)
  for _, line in ipairs(self._crossovers) do
    line.value = 0
    local av, bv = line.a:value(), line.b:value()
    if av == av and bv == bv then  -- both ready (not NaN)
      local d = av - bv
      local prev = line.last
      if prev == nil or d ~= 0 then line.last = d end
      if prev ~= nil then
        if prev < 0 and d > 0 then line.value = 1 elseif prev > 0 and d < 0 then line.value = -1 end
      end
    end
  end
end

local function ready(self)
  for _, ind in ipairs(self._indicators) do
    if not ind:ready() then return false end
  end
  return true
end

function M.strategy(def)
  local S = { name = def.name, kind = "strategy", description = def.description or def.name,
              params = def.params or {} }
  local instances = {}  -- symbol handle -> self

  local function instance(ctx, sym)
    local self = instances[sym]
    if self == nil then
      self = setmetatable({ ctx = ctx, symbol = sym, position = { size = 0 },
                            _indicators = {}, _crossovers = {} }, Instance)
      instances[sym] = self
    end
    return self
  end

  function S.on_init(ctx, params)
    for _, sym in ipairs(ctx:universe()) do
      local self = instance(ctx, sym)
      self.p = params
      if def.init then def.init(self) end
    end
  end

  function S.on_bar(ctx, bar)
    local self = instances[bar.symbol]
    if self == nil then return end
    self.data = bar
    update_crossovers(self)
    if ctx:is_warmup() or not ready(self) then return end
    self.position.size = ctx:position(self.symbol)
    if def.next then def.next(self) end
  end

  function S.on_order(ctx, event)
    local self = instances[event.symbol]
    if self and def.notify_order then def.notify_order(self, event) end
  end

  function S.on_fill(ctx, fill)
    local self = instances[fill.symbol]
    if self == nil then return end
    local before = self.position.size
    local after = ctx:position(fill.symbol)
    self.position.size = after
    if def.notify_trade and (before == 0) ~= (after == 0) then
      def.notify_trade(self, { isopen = before == 0, isclosed = after == 0, size = after, price = fill.price })
    end
  end

  function S.on_stop(ctx)
    if def.stop then
      for _, sym in ipairs(ctx:universe()) do def.stop(instances[sym]) end
    end
  end

  return S
end

return M
