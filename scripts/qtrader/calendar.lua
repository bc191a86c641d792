-- Calendar helpers for scripts (there is no os.date in the sandbox).
-- Timestamps are ns since the Unix epoch, UTC, as ctx:now() and bar.ts give them.
--
--   local cal = require("qtrader.calendar")
--   local y, m, d = cal.civil(bar.ts)        -- 2014, 12, 31
--   cal.month_key(bar.ts)                    -- 201412, changes when the month does
--   cal.weekday(bar.ts)                      -- 1 = Monday ... 7 = Sunday
--   cal.date_string(bar.ts)                  -- "2014-12-31"
local M = {}

local NS_PER_DAY = 86400e9

-- Days since 1970-01-01 (floor, so times before the epoch work too).
function M.days(ts)
  return math.floor(ts / NS_PER_DAY)
end

-- Year, month (1-12), day (1-31) of a timestamp: Howard Hinnant's
-- civil_from_days, exact for any date a double can hold.
function M.civil(ts)
  local z = M.days(ts) + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m, d
end

-- yyyymm as a number: compare two bars' keys to detect a new month.
function M.month_key(ts)
  local y, m = M.civil(ts)
  return y * 100 + m
end

-- ISO weekday: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday).
function M.weekday(ts)
  return (M.days(ts) + 3) % 7 + 1
end

function M.date_string(ts)
  local y, m, d = M.civil(ts)
  return string.format("%04d-%02d-%02d", y, m, d)
end

return M
