-- {{NAME}}: long while the close is above its simple moving average.
--
-- A qtrader strategy (docs/lua-api.md; written by `qtrader new strategy`).
-- The file returns a table: the registry reads its name, kind, description
-- and params (`qtrader list --script-path FOLDER` shows them), the engine calls
-- its callbacks. Its tests are in tests/{{NAME}}_test.lua: `qtrader test FOLDER`.
local S = {
  name = "{{NAME}}",
  kind = "strategy",
  description = "Long while the close is above its simple moving average",
  params = {
    -- Typed and bounded, so that a backtest's `config:` or a `--param` outside
    -- the bounds stops before the first bar with the file, line and key.
    period = { default = 20, type = "integer", min = 2, max = 500,
               description = "bars in the moving average" },
  },
}

-- Per-run state lives in locals of this file: every run loads the script
-- afresh, so nothing carries over from one backtest to the next.
local sma = {}  -- symbol handle -> indicator

function S.on_init(ctx, params)
  -- Indicators are created once, here; the engine advances them with each
  -- bar before on_bar, so on_bar only reads them.
  for _, sym in ipairs(ctx:universe()) do
    sma[sym] = ctx:indicator("sma", sym, "close", params.period)
  end
end

function S.on_bar(ctx, bar)
  local sym = bar.symbol
  local avg = sma[sym]
  -- The average is undefined until `period` bars have been seen, and
  -- warm-up bars (the backtest's warmup_bars) are for indicators only.
  if not avg:ready() or ctx:is_warmup() then return end

  local held = ctx:position(sym)
  if held == 0 and bar.close > avg:value() then
    -- A signal is an intention: the risk policy sizes it (or rejects it) and
    -- execution fills it at the next bar's open (system.yaml fill_policy).
    ctx:emit_signal{ symbol = sym, intention = "open_long", price = bar.close, tag = "above_sma" }
  elseif held > 0 and bar.close < avg:value() then
    ctx:emit_signal{ symbol = sym, intention = "close_long", price = bar.close, tag = "below_sma" }
  end
end

return S
