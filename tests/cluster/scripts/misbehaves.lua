-- A strategy that misbehaves on its 20th bar as its `mode` says: 0 behaves,
-- 1 raises an error, 2 loops until its time budget stops it (tests/cluster).
local S = {
  name = "misbehaves",
  params = {
    mode = { default = 0, type = "integer", min = 0, max = 2, description = "0 fine, 1 error, 2 endless loop" },
  },
}
local mode, n = 0, 0

function S.on_init(ctx, params)
  mode = params.mode
end

function S.on_bar(ctx, bar)
  n = n + 1
  if n ~= 20 then return end
  if mode == 1 then
    local t = nil
    return t.field -- line 20: indexing nil
  elseif mode == 2 then
    while true do end
  end
end

return S
