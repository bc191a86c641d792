// Which source definitions a backtest reads: its inline ones, data_sources.yaml's
// (docs/data.md "Sources in the backtest file"), or a folder given on the
// command line (`--data DIR`).
#include <algorithm>
#include <filesystem>

#include "config/folder_layout.hpp"
#include "config/yaml_reader.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

namespace {

bool has_adj_close(const DataSourceConfig& src) {
  if (src.columns.adj_close >= 0) return true;
  return std::any_of(src.columns_by_name.begin(), src.columns_by_name.end(),
                     [](const ColumnByName& c) { return c.field == "adj_close"; });
}

}  // namespace

bool needs_sources_file(const BacktestConfig& bt) {
  return std::any_of(bt.sources.begin(), bt.sources.end(),
                     [](const SourceUse& use) { return !use.inline_source; });
}

DataSourcesConfig sources_for(const BacktestConfig& bt, const DataSourcesConfig* file,
                              const std::string& default_mode, const std::string& default_timezone) {
  DataSourcesConfig out;
  out.path = file ? file->path : bt.path;
  for (const SourceUse& use : bt.sources)
    if (use.inline_source) out.sources.push_back(*use.inline_source);
  if (file)
    for (const DataSourceConfig& src : file->sources)
      if (!out.find(src.name)) out.sources.push_back(src);  // an inline source of that name wins
  // A source without adjusted prices has nothing to adjust with: it stays raw.
  for (DataSourceConfig& src : out.sources)
    if (!src.price_mode_given && has_adj_close(src)) src.price_mode = default_mode;
  for (DataSourceConfig& src : out.sources)
    src.apply_default_timezone(default_timezone);
  return out;
}

void use_data_folder(BacktestConfig& bt, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw ConfigError("--data", 0, "--data",
                      (fs::exists(dir, ec) ? "not a folder: " : "folder does not exist: ") + dir);
  if (bt.sources.empty()) {
    // Every symbol the strategies name, in file order.
    SourceUse use;
    use.name = "data";
    use.where = {bt.path, 0};
    for (const StrategySpec& s : bt.strategies)
      for (std::size_t j = 0; j < s.universe.size(); ++j)
        if (std::find(use.universe.begin(), use.universe.end(), s.universe[j]) == use.universe.end()) {
          use.universe.push_back(s.universe[j]);
          use.universe_where.push_back(j < s.universe_where.size() ? s.universe_where[j] : s.where);
        }
    bt.sources.push_back(std::move(use));
  }
  for (SourceUse& use : bt.sources) {
    const std::string sample = fs::path(dir) / (use.universe.front() + ".csv");
    use.inline_source = folder_source(use.name, fs::absolute(dir).lexically_normal().string(), sample);
  }
}

}  // namespace qtrader
