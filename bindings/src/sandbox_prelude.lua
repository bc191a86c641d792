-- The trusted sandbox prelude; `host` and the contract are in sandbox_prelude.hpp.
local host = ...
local string, table, math, coroutine, bit = string, table, math, coroutine, bit
local type, error, pairs, ipairs, tostring = type, error, pairs, ipairs, tostring
local getmetatable = getmetatable
local nest_enter, nest_leave = host.nest_enter, host.nest_leave
local MAX_REP = 16 * 1024 * 1024

local function copy(t, drop)
  local r = {}
  for k, v in pairs(t) do if not (drop and drop[k]) then r[k] = v end end
  return r
end

local gsub, rep, find, match, gmatch, format, byte, select =
  string.gsub, string.rep, string.find, string.match, string.gmatch, string.format, string.byte, select
local real_tostring, rawget, setmetatable = tostring, rawget, setmetatable
local raw_getmetatable = debug.getmetatable  -- kept here only; scripts never see debug

-- Pattern matching runs inside one C call, where no hook can stop it
-- (("a"):rep(200):find(".-.-.-.-b") takes > 20 s). Estimate the worst case
-- over n bytes and refuse above ~1 s of matching (docs/sandbox.md, T8, T24):
-- every start position (one when anchored) tries each of the m items once,
-- each of the q repetition items (*, +, -) may take any length (n^q/q!), and
-- each balance (%b) or back-reference (%1-%9) item may scan all n bytes.
local MAX_PATTERN_STEPS = 3e8
local function pattern_shape(p)
  local m, q, v, i, n = 0, 0, 0, 1, #p
  if byte(p, 1) == 94 then i = 2 end  -- ^ anchor
  while i <= n do
    local c = byte(p, i)
    local last = i  -- last byte of the single-character class at i
    local item = true
    if c == 40 or c == 41 or (c == 36 and i == n) then  -- ( ) and a final $
      item = false
    elseif c == 37 then  -- %
      local d = byte(p, i + 1)
      if d == 98 then last = i + 3 v = v + 1  -- %bxy: balanced match, may scan n bytes
      elseif d and d >= 49 and d <= 57 then last = i + 1 v = v + 1  -- %1-%9: a capture's length
      elseif d == 102 then  -- %f[set]: frontier, no quantifier
        last = i + 2
        if byte(p, last + 1) == 94 then last = last + 1 end
        last = last + 1
        while last <= n and byte(p, last) ~= 93 do
          if byte(p, last) == 37 then last = last + 1 end
          last = last + 1
        end
      else last = i + 1 end
    elseif c == 91 then  -- [set]
      last = i + 1
      if byte(p, last) == 94 then last = last + 1 end
      last = last + 1  -- a ']' first is a literal
      while last <= n and byte(p, last) ~= 93 do
        if byte(p, last) == 37 then last = last + 1 end
        last = last + 1
      end
    end
    if item then m = m + 1 end
    local quant = item and byte(p, last + 1)
    if quant == 42 or quant == 43 or quant == 45 then
      q = q + 1
      i = last + 2
    elseif quant == 63 then
      i = last + 2
    else
      i = last + 1
    end
  end
  return m, q, v
end
local function check_pattern(s, p, fname)
  if type(s) ~= "string" and type(s) ~= "number" then return end
  if type(p) ~= "string" and type(p) ~= "number" then return end
  s, p = real_tostring(s), real_tostring(p)
  local n = #s
  local m, q, v = pattern_shape(p)
  local steps = (byte(p, 1) == 94 and 1 or n + 1) * (m > 0 and m or 1)
  for k = 1, q do steps = steps * n / k end
  for _ = 1, v do steps = steps * n end
  if steps > MAX_PATTERN_STEPS then
    error(fname .. ": pattern too complex for a subject of " .. n .. " bytes (" .. m .. " items, " .. q ..
          " repetitions); split the text or simplify the pattern", 3)
  end
end

local SAFE_STRING = copy(string, { dump = true })
-- A replacement function (or a table whose __index is one) that recurses
-- through gsub overflows the C stack (SIGSEGV): count the nesting.
SAFE_STRING.gsub = function(s, p, r, n)
  check_pattern(s, p, "string.gsub")
  local tr = type(r)
  if tr == "string" or tr == "number" then return gsub(s, p, r, n) end
  nest_enter()
  local a, b = gsub(s, p, r, n)
  nest_leave()
  return a, b
end
-- A plain search (or a pattern without special characters, which LuaJIT
-- searches plainly) is memchr + memcmp in LuaJIT: a 2 MB needle in a 4 MB
-- subject is 10^12 steps. The host's find_plain is memmem (two-way, linear).
local find_plain = host.find_plain
local SPECIALS = "[%^%$%*%+%?%.%(%[%%%-]"
SAFE_STRING.find = function(s, p, init, plain)
  local ts, tp = type(s), type(p)
  if (ts == "string" or ts == "number") and (tp == "string" or tp == "number") then
    s, p = real_tostring(s), real_tostring(p)
    if plain or not find(p, SPECIALS) then return find_plain(s, p, init) end
    check_pattern(s, p, "string.find")
  end
  return find(s, p, init, plain)
end
SAFE_STRING.match = function(s, p, init)
  check_pattern(s, p, "string.match")
  return match(s, p, init)
end
SAFE_STRING.gmatch = function(s, p)
  check_pattern(s, p, "string.gmatch")
  return gmatch(s, p)
end

-- tostring without heap addresses (docs/sandbox.md, T22): tables, functions, userdata
-- and threads without __tostring are named by a per-state counter, which also
-- makes such text identical from run to run.
local ADDRESSED = { table = true, ["function"] = true, userdata = true, thread = true }
local names = setmetatable({}, { __mode = "k" })
local named = 0
local function safe_tostring(...)
  local v = ...
  local t = type(v)
  if not ADDRESSED[t] then return real_tostring(...) end
  local mt = raw_getmetatable(v)
  if mt and rawget(mt, "__tostring") ~= nil then return real_tostring(v) end
  local name = names[v]
  if not name then
    named = named + 1
    name = t .. ": #" .. named
    names[v] = name
  end
  return name
end
-- string.format("%s", t) would print the address too.
local function format_args(n, ...)
  if n == 0 then return end
  local v = ...
  if ADDRESSED[type(v)] then v = safe_tostring(v) end
  return v, format_args(n - 1, select(2, ...))
end
SAFE_STRING.format = function(fmt, ...)
  local n = select("#", ...)
  if n > 0 and n < 64 then return format(fmt, format_args(n, ...)) end
  return format(fmt, ...)
end
SAFE_STRING.rep = function(s, n, sep)
  if type(n) == "number" and n > 1 then
    local len = #tostring(s) * n
    if type(sep) == "string" or type(sep) == "number" then len = len + #tostring(sep) * (n - 1) end
    if len > MAX_REP then error("string.rep: result too large", 2) end
  end
  return rep(s, n, sep)
end
-- ("x"):rep() reaches the string metatable's __index, not the env's `string`.
local smt = getmetatable("")
smt.__index = SAFE_STRING
smt.__metatable = false

local co_create, co_resume, co_status, co_yield, co_running =
  coroutine.create, coroutine.resume, coroutine.status, coroutine.yield, coroutine.running
-- Each resume takes C stack; nesting them unbounded crashes the process.
local function finish_resume(...) nest_leave() return ... end
local function safe_resume(co, ...)
  nest_enter()
  return finish_resume(co_resume(co, ...))
end
local function unwrap(ok, ...)
  if not ok then error((...), 0) end
  return ...
end
local SAFE_CO = {
  create = co_create, resume = safe_resume, status = co_status, yield = co_yield,
  running = co_running,
  wrap = function(f)
    local co = co_create(f)
    return function(...) return unwrap(safe_resume(co, ...)) end
  end,
}

-- xpcall calls its handler at the error point. When the error is the time
-- budget's kill, raised from inside the count hook, LuaJIT runs that handler
-- with hooks disabled, so a looping handler would never be stopped. Scripts
-- cannot inspect the stack (no debug library), so running the handler after
-- unwinding, through pcall, is indistinguishable for them and keeps it hooked.
local pcall = pcall
local function after_pcall(handler, ok, ...)
  if ok then return true, ... end
  local _, result = pcall(handler, (...))
  return false, result
end
local function safe_xpcall(f, handler, ...)
  return after_pcall(handler, pcall(f, ...))
end

-- Two table functions loop in C, where no hook reaches (docs/sandbox.md, T24).
-- table.insert(t, pos, v) shifts t[pos..#t] up one by one and Lua 5.1 takes
-- any integer pos: insert({}, -2^31, v) is 2^31 steps. Positions outside
-- 1..#t+1 are refused, as Lua 5.3 does.
local tinsert, tsort, tonumber = table.insert, table.sort, tonumber
local function safe_insert(t, ...)
  if select("#", ...) == 2 and type(t) == "table" then
    local pos = tonumber((...))
    if pos and (pos < 1 or pos > #t + 1) then
      error("table.insert: position " .. real_tostring(pos) .. " out of bounds (1 to " .. (#t + 1) .. ")", 2)
    end
  end
  return tinsert(t, ...)
end
-- table.sort is Lua 5.1's quicksort with a median-of-three pivot: crafted
-- orders make it quadratic, and with no comparator (or a C function as one)
-- every comparison stays in C. Above SORT_IN_C elements the comparisons go
-- through a Lua function, where the hook reaches; the same comparisons in the
-- same order, so the same result.
local SORT_IN_C = 4096
local getinfo = debug.getinfo  -- kept here only
local function less(a, b) return a < b end
local function safe_sort(t, cmp)
  if type(t) == "table" and #t > SORT_IN_C then
    if cmp == nil then
      cmp = less
    elseif type(cmp) ~= "function" or getinfo(cmp, "S").what == "C" then
      local f = cmp
      cmp = function(a, b) return f(a, b) end
    end
  end
  return tsort(t, cmp)
end
local SAFE_TABLE = copy(table, { foreach = true, foreachi = true })
SAFE_TABLE.insert, SAFE_TABLE.sort = safe_insert, safe_sort

local BASE = { "assert", "error", "ipairs", "next", "pairs", "pcall", "select", "tonumber",
  "tostring", "type", "unpack", "rawequal", "rawget", "rawset", "setmetatable",
  "getmetatable", "_VERSION" }
local G = _G
local SAFE_MATH_DROP = { randomseed = true }
local random, print = host.random, host.print

return function()  -- make_env: a fresh global table per script
  local env = {}
  for _, k in ipairs(BASE) do env[k] = G[k] end
  env.xpcall = safe_xpcall
  env.tostring = safe_tostring
  env.string = copy(SAFE_STRING)
  env.table = copy(SAFE_TABLE)
  env.math = copy(math, SAFE_MATH_DROP)
  env.math.random = random
  env.bit = copy(bit)
  env.coroutine = copy(SAFE_CO)
  env.print = print
  env._G = env
  return env
end
