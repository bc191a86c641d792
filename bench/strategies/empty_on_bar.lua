-- Benchmark scenario 3: the cost of the pipeline with a strategy that does nothing.
return {
  name = "empty_on_bar",
  description = "Does nothing on every bar (benchmark of the engine's own cost)",
  on_bar = function(ctx, bar) end,
}
