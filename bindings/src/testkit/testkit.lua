-- qtrader.testkit: what a `*_test.lua` file gets from require("qtrader.testkit")
-- (docs/strategy-tests.md). Loaded once per test file in that file's sandboxed
-- state, with the host's backtest runner as its argument; returns the module.
-- Assertions raise error(message, level) with the level of the test's own
-- line, so a failure names the test file and line that asked for it.
local run_backtest = ...
local type, pairs, ipairs, tostring, tonumber, error, pcall, setmetatable, select =
  type, pairs, ipairs, tostring, tonumber, error, pcall, setmetatable, select
local format, sort, concat, abs, max, floor = string.format, table.sort, table.concat, math.abs, math.max, math.floor

local M = {}
local cases = {}

-- ---- showing values -------------------------------------------------------------

-- Numbers as Lua writes them unless that loses digits; strings quoted; tables
-- with their keys sorted, so a message reads the same on every run.
local function show(v, depth)
  local t = type(v)
  if t == "number" then
    local s = tostring(v)
    if tonumber(s) ~= v and v == v then s = format("%.17g", v) end
    return s
  elseif t == "string" then
    return format("%q", v)
  elseif t == "table" then
    depth = depth or 0
    if depth > 2 then return "{...}" end
    local keys, parts = {}, {}
    for k in pairs(v) do keys[#keys + 1] = k end
    sort(keys, function(a, b)
      if type(a) == type(b) and (type(a) == "number" or type(a) == "string") then return a < b end
      return type(a) < type(b)
    end)
    for _, k in ipairs(keys) do
      if type(k) == "number" and k >= 1 and k <= #v and floor(k) == k then
        parts[#parts + 1] = show(v[k], depth + 1)
      else
        parts[#parts + 1] = tostring(k) .. "=" .. show(v[k], depth + 1)
      end
    end
    return "{" .. concat(parts, ", ") .. "}"
  end
  return tostring(v)
end
M.show = show

-- Relative tolerance for numbers: prices and money are doubles, and a test
-- should not fail on the 16th digit of a commission.
local DEFAULT_TOLERANCE = 1e-9
local function same(actual, expected, tolerance)
  if type(expected) == "number" and type(actual) == "number" then
    if expected ~= expected then return actual ~= actual end
    return abs(actual - expected) <= (tolerance or DEFAULT_TOLERANCE) * max(1, abs(expected))
  end
  return actual == expected
end

-- Criteria keys that are not event fields.
local OPTIONS = { count = true, tolerance = true }
-- `at` is the event's time, as written in the results (a date for daily bars).
local function field(event, key)
  if key == "at" then return event.time end
  return event[key]
end

-- Keys of `criteria` whose value differs in `event`, sorted.
local function differences(event, criteria)
  local out = {}
  for k, v in pairs(criteria) do
    if not OPTIONS[k] and not same(field(event, k), v, criteria.tolerance) then out[#out + 1] = k end
  end
  sort(out)
  return out
end

-- The event as far as the criteria look at it, plus its time.
local function relevant(event, criteria)
  local r = { at = event.time }
  for k in pairs(criteria) do if not OPTIONS[k] then r[k] = field(event, k) end end
  return r
end

local function describe_nearest(list, criteria)
  local ranked = {}
  for i, e in ipairs(list) do ranked[#ranked + 1] = { e = e, d = differences(e, criteria), i = i } end
  sort(ranked, function(a, b)
    if #a.d ~= #b.d then return #a.d < #b.d end
    return a.i < b.i
  end)
  local lines = {}
  for n = 1, math.min(3, #ranked) do
    local r = ranked[n]
    local diffs = {}
    for _, k in ipairs(r.d) do
      diffs[#diffs + 1] = format("%s %s instead of %s", k, show(field(r.e, k)), show(criteria[k]))
    end
    lines[#lines + 1] = "    " .. show(relevant(r.e, criteria)) ..
      (#diffs > 0 and ("  -- " .. concat(diffs, ", ")) or "")
  end
  return concat(lines, "\n")
end

local function criteria_text(criteria)
  local c = {}
  for k, v in pairs(criteria) do if not OPTIONS[k] then c[k] = v end end
  return show(c)
end

-- At least one match (count nil) or exactly `count` matches; returns the first
-- match (or the list of matches with a count). `level` is the test's frame.
local function expect_events(what, plural, list, criteria, level)
  if type(criteria) ~= "table" then error(format("expect_%s: a table of fields expected, got %s", what, type(criteria)), level) end
  local count = criteria.count
  if count ~= nil and (type(count) ~= "number" or count < 0 or floor(count) ~= count) then
    error(format("expect_%s: count must be a whole number >= 0, got %s", what, show(count)), level)
  end
  local found = {}
  for _, e in ipairs(list) do
    if #differences(e, criteria) == 0 then found[#found + 1] = e end
  end
  if count == nil and #found > 0 then return found[1] end
  if count ~= nil and #found == count then return found end
  local head
  if count == nil then
    head = format("expected a %s %s, but none of the run's %d %s matches", what, criteria_text(criteria), #list, plural)
  elseif count == 0 then
    head = format("expected no %s %s, but %d of the run's %d %s match", what, criteria_text(criteria), #found, #list, plural)
  else
    head = format("expected %d %s %s, but %d of the run's %d %s match", count, plural, criteria_text(criteria), #found, #list, plural)
  end
  local body
  if count == 0 then
    body = "\n  matching:\n" .. describe_nearest(found, criteria)
  elseif #list == 0 then
    body = ""
  else
    body = "\n  nearest:\n" .. describe_nearest(list, criteria)
  end
  error(head .. body, level)
end

-- ---- a run's results ---------------------------------------------------------------

local Run = {}
Run.__index = Run

-- Each method is called from a test body: level 3 is that body (1: expect_events,
-- 2: the method). No tail calls, which would drop the method's frame.
local KINDS = {
  { "signal", "signals", "signals" },
  { "order", "orders", "orders" },
  { "fill", "fills", "fills" },
  { "rejection", "rejections", "rejections" },
  { "order_update", "order updates", "order_updates" },
  { "trade", "trades", "trades" },
  { "record", "records", "records" },
}
for _, k in ipairs(KINDS) do
  local what, plural, key = k[1], k[2], k[3]
  Run["expect_" .. what] = function(self, criteria)
    local r = expect_events(what, plural, self[key], criteria, 3)
    return r
  end
  Run["expect_no_" .. what] = function(self, criteria)
    criteria = criteria or {}
    if type(criteria) ~= "table" then error(format("expect_no_%s: a table of fields expected", what), 2) end
    local c = { count = 0 }
    for key2, v in pairs(criteria) do c[key2] = v end
    local r = expect_events(what, plural, self[key], c, 3)
    return r
  end
end

function Run:position(symbol) return self.positions[symbol] or 0 end

function Run:expect_position(symbol, quantity)
  local actual = self.positions[symbol] or 0
  if not same(actual, quantity) then
    error(format("expected a final position of %s in %s, got %s", show(quantity), symbol, show(actual)), 2)
  end
end

function Run:expect_cash(value, tolerance)
  if not same(self.cash, value, tolerance) then
    error(format("expected final cash %s, got %s", show(value), show(self.cash)), 2)
  end
end

function Run:expect_equity(value, tolerance)
  if not same(self.equity, value, tolerance) then
    error(format("expected final equity %s, got %s", show(value), show(self.equity)), 2)
  end
end

-- ---- the module ----------------------------------------------------------------------

-- Declares a case; the host runs them in declaration order once the file has loaded.
function M.test(name, body)
  if type(name) ~= "string" or name == "" then error("test: the name must be a non-empty string", 2) end
  if type(body) ~= "function" then error(format("test %q: the body must be a function", name), 2) end
  for _, c in ipairs(cases) do
    if c.name == name then error(format("test %q is declared twice", name), 2) end
  end
  cases[#cases + 1] = { name = name, body = body }
end

-- For the host: the declared cases.
function M._cases() return cases end

-- Runs a backtest through the engine and returns its results (docs/strategy-tests.md).
function M.run(spec)
  if type(spec) ~= "table" then error("run: a table expected, e.g. run{strategy = \"sma_crossover\", bars = ...}", 2) end
  local ok, raw = pcall(run_backtest, spec)
  if not ok then
    -- The runner's message names this module's line: name the test's instead.
    raw = tostring(raw):gsub("^qtrader%.testkit:%d+: ", "")
    error(raw, 2)
  end
  return setmetatable(raw, Run)
end

-- Daily bars on weekdays from `start` (YYYY-MM-DD), one per close:
--   t.daily{start = "2024-01-02", close = {10, 11, 12}, open = {...}, volume = 1000}
-- open defaults to the close (so an order filled at a bar's open fills at its
-- close), high and low to the larger and smaller of open and close.
local DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
local function leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end
local function weekday(y, m, d)  -- 0 = Sunday (Sakamoto)
  local t = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 }
  if m < 3 then y = y - 1 end
  return (y + floor(y / 4) - floor(y / 100) + floor(y / 400) + t[m] + d) % 7
end
function M.daily(spec)
  if type(spec) ~= "table" or type(spec.close) ~= "table" then
    error("daily: {start = \"YYYY-MM-DD\", close = {...}} expected", 2)
  end
  local y, m, d = tostring(spec.start or "2024-01-02"):match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then error("daily: start must be YYYY-MM-DD, got " .. show(spec.start), 2) end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local rows = {}
  for i, close in ipairs(spec.close) do
    while weekday(y, m, d) == 0 or weekday(y, m, d) == 6 do
      d = d + 1
      local last = (m == 2 and leap(y)) and 29 or DAYS[m]
      if d > last then d, m = 1, m + 1 end
      if m > 12 then m, y = 1, y + 1 end
    end
    local open = spec.open and spec.open[i] or close
    rows[i] = {
      time = format("%04d-%02d-%02d", y, m, d),
      open = open, close = close,
      high = spec.high and spec.high[i] or max(open, close),
      low = spec.low and spec.low[i] or math.min(open, close),
      volume = type(spec.volume) == "table" and spec.volume[i] or spec.volume or 1000000,
    }
    d = d + 1
    local last = (m == 2 and leap(y)) and 29 or DAYS[m]
    if d > last then d, m = 1, m + 1 end
    if m > 12 then m, y = 1, y + 1 end
  end
  return rows
end

-- Plain checks for anything else a test computes itself.
function M.expect(condition, message)
  if not condition then error(message or "expectation failed", 2) end
end
function M.expect_eq(actual, expected, what)
  if not same(actual, expected) then
    error(format("%sexpected %s, got %s", what and (what .. ": ") or "", show(expected), show(actual)), 2)
  end
end
function M.expect_near(actual, expected, tolerance, what)
  if type(actual) ~= "number" or abs(actual - expected) > tolerance then
    error(format("%sexpected %s within %s, got %s", what and (what .. ": ") or "", show(expected),
      show(tolerance), show(actual)), 2)
  end
end

return M
