-- A rolling window of the last n values with its mean and standard
-- deviation (population), in O(1) per value. Shared by the library's scripts
-- as require("lib.rolling").
local M = {}

function M.new(n)
  return { n = n, values = {}, next = 1, count = 0, sum = 0, sumsq = 0 }
end

function M.push(w, x)
  local old = w.values[w.next]
  if old then
    w.sum, w.sumsq = w.sum - old, w.sumsq - old * old
  else
    w.count = w.count + 1
  end
  w.values[w.next] = x
  w.sum, w.sumsq = w.sum + x, w.sumsq + x * x
  w.next = w.next % w.n + 1
end

function M.ready(w) return w.count == w.n end

function M.mean(w) return w.sum / w.count end

function M.stddev(w)
  local m = w.sum / w.count
  local v = w.sumsq / w.count - m * m
  return v > 0 and math.sqrt(v) or 0
end

return M
