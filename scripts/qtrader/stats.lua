-- Small statistics over arrays of numbers (e.g. from ctx:history).
--
--   local stats = require("qtrader.stats")
--   stats.mean(xs), stats.stdev(xs)          -- sample standard deviation (n - 1)
--   stats.log_returns(closes)                -- n - 1 returns, oldest first
--   stats.annualized_volatility(closes, 252) -- stdev of log returns * sqrt(252)
local M = {}

function M.mean(xs)
  local n = #xs
  if n == 0 then return 0 / 0 end
  local s = 0
  for i = 1, n do s = s + xs[i] end
  return s / n
end

-- Sample standard deviation (divides by n - 1); NaN below two values.
function M.stdev(xs)
  local n = #xs
  if n < 2 then return 0 / 0 end
  local m = M.mean(xs)
  local ss = 0
  for i = 1, n do
    local d = xs[i] - m
    ss = ss + d * d
  end
  return math.sqrt(ss / (n - 1))
end

function M.log_returns(prices)
  local out = {}
  for i = 2, #prices do out[i - 1] = math.log(prices[i] / prices[i - 1]) end
  return out
end

function M.annualized_volatility(prices, periods_per_year)
  return M.stdev(M.log_returns(prices)) * math.sqrt(periods_per_year or 252)
end

return M
