// `benchmark:`: a symbol of a data source (buy-and-hold of its close), or a
// CSV of prices or returns. Read here, checked against the sources and the
// disk by check_benchmark; the engine reads the series (benchmark_series.cpp).
#include "config/benchmark_config.hpp"

#include <filesystem>

#include "qtrader/errors.hpp"

namespace qtrader {

namespace config_detail {

BenchmarkSpec read_benchmark(const YamlValue& value, const std::string& path) {
  const YamlMap m = value.map({"symbol", "source", "file", "kind", "column"});
  BenchmarkSpec b;
  b.where = value.where();
  const bool by_symbol = m.has("symbol"), by_file = m.has("file");
  if (by_symbol == by_file) value.fail("needs either 'symbol' (with 'source') or 'file'");
  if (by_symbol) {
    for (const char* key : {"kind", "column"})
      if (const auto v = m.get(key)) v->fail("applies to a benchmark 'file' only");
    b.symbol = m.require("symbol").symbol();
    if (const auto source = m.get("source")) b.source = source->text();
    return b;
  }
  if (const auto source = m.get("source")) source->fail("applies to a benchmark 'symbol' only");
  b.file = resolve_against(path, m.require("file").text());
  std::string kind = "prices";
  m.read_choice("kind", kind, {"prices", "returns"});
  b.returns = kind == "returns";
  b.column = b.returns ? "return" : "price";
  m.read("column", b.column);
  return b;
}

}  // namespace config_detail

const DataSourceConfig* check_benchmark(const BacktestConfig& bt, const DataSourcesConfig& sources) {
  namespace fs = std::filesystem;
  const BenchmarkSpec& b = bt.benchmark;
  if (b.empty()) return nullptr;
  std::error_code ec;
  if (!b.file.empty()) {
    if (!fs::is_regular_file(b.file, ec))
      throw ConfigError(b.where.file, b.where.line, "benchmark.file", "no such file: " + b.file);
    return nullptr;
  }
  std::string name = b.source;
  if (name.empty()) {
    if (bt.sources.size() != 1)
      throw ConfigError(b.where.file, b.where.line, "benchmark.source",
                        "the backtest loads " + std::to_string(bt.sources.size()) +
                            " data sources: name the benchmark's 'source'");
    name = bt.sources.front().name;
  }
  const DataSourceConfig* src = sources.find(name);
  if (!src) {
    std::vector<std::string> known;
    for (const auto& s : sources.sources) known.push_back(s.name);
    throw ConfigError(b.where.file, b.where.line, "benchmark.source",
                      "unknown data source '" + name + "' (known: " + config_detail::join_names(known) + ")");
  }
  const std::string data_file = src->file_for(b.symbol);
  if (!fs::is_regular_file(data_file, ec))
    throw ConfigError(b.where.file, b.where.line, "benchmark.symbol",
                      "no data file for '" + b.symbol + "' (looked for " + data_file + ")");
  return src;
}

}  // namespace qtrader
