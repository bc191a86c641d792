#include "sandbox_prelude.hpp"

namespace qtrader {

// Receives `host`, a table of C functions:
//   nest_enter() / nest_leave()  coroutine and gsub nesting counter (kept in C so
//                                the gate can reset it without calling Lua)
//   random(m, n)                 the run's seeded math.random
//   print(...)                   logs with the caller's file:line
//   require(name)                restricted to the script roots and scripts/
// Everything here captures the real library functions in upvalues before the
// host removes the dangerous globals.
const char* const kSandboxPrelude = R"LUA(
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

local gsub, rep = string.gsub, string.rep
local SAFE_STRING = copy(string, { dump = true })
-- A recursing function replacement overflows the C stack (SIGSEGV): count it.
SAFE_STRING.gsub = function(s, p, r, n)
  if type(r) ~= "function" then return gsub(s, p, r, n) end
  nest_enter()
  local a, b = gsub(s, p, r, n)
  nest_leave()
  return a, b
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

local BASE = { "assert", "error", "ipairs", "next", "pairs", "pcall", "select", "tonumber",
  "tostring", "type", "unpack", "rawequal", "rawget", "rawset", "setmetatable",
  "getmetatable", "_VERSION" }
local G = _G
local SAFE_TABLE_DROP = { foreach = true, foreachi = true }
local SAFE_MATH_DROP = { randomseed = true }
local random, print, require = host.random, host.print, host.require

return function()  -- make_env: a fresh global table per script
  local env = {}
  for _, k in ipairs(BASE) do env[k] = G[k] end
  env.xpcall = safe_xpcall
  env.string = copy(SAFE_STRING)
  env.table = copy(table, SAFE_TABLE_DROP)
  env.math = copy(math, SAFE_MATH_DROP)
  env.math.random = random
  env.bit = copy(bit)
  env.coroutine = copy(SAFE_CO)
  env.print = print
  env.require = require
  env._G = env
  return env
end
)LUA";

}  // namespace qtrader
