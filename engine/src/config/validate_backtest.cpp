// Cross-file checks between a backtest and the data sources it names. Errors
// point into the backtest file, where the fix belongs.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "base/regular_file.hpp"
#include "config/yaml_reader.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

using config_detail::join_names;

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A location recorded by the loader, or the file itself for hand-built configs.
SourceLocation at(const std::vector<SourceLocation>& where, std::size_t i,
                  const SourceLocation& fallback) {
  return i < where.size() ? where[i] : fallback;
}

}  // namespace

void validate_backtest(const BacktestConfig& bt, const DataSourcesConfig& sources) {
  if (bt.end_date <= bt.start_date)
    throw ConfigError(bt.end_date_where.file.empty() ? bt.path : bt.end_date_where.file,
                      bt.end_date_where.line, "end_date",
                      "end_date " + format_date(bt.end_date) + " is not after start_date " +
                          format_date(bt.start_date));

  if (bt.sources.empty())
    throw ConfigError(bt.path, 0, "data.sources",
                      "no data sources: list them under data: sources:, or run with --data DIR");

  std::vector<std::string> known;
  for (const auto& s : sources.sources) known.push_back(s.name);
  std::vector<std::string> loaded;
  for (std::size_t i = 0; i < bt.sources.size(); ++i) {
    const SourceUse& use = bt.sources[i];
    if (!sources.find(use.name))
      throw ConfigError(
          use.where.file, use.where.line, "data.sources[" + std::to_string(i) + "].name",
          "unknown data source '" + use.name + "' (known: " + join_names(known) + ")");
    loaded.push_back(use.name);
  }

  for (std::size_t i = 0; i < bt.strategies.size(); ++i) {
    const StrategySpec& s = bt.strategies[i];
    const std::string key = "strategies[" + std::to_string(i) + "]";
    for (std::size_t j = 0; j < s.data_sources.size(); ++j)
      if (!contains(loaded, s.data_sources[j])) {
        const SourceLocation w = at(s.data_sources_where, j, s.where);
        throw ConfigError(w.file, w.line, key + ".data_sources[" + std::to_string(j) + "]",
                          "data source '" + s.data_sources[j] +
                              "' is not loaded by this backtest (loaded: " + join_names(loaded) +
                              ")");
      }
    // The symbols this strategy may trade: its sources' universes, or all of them.
    const std::vector<std::string>& from = s.data_sources.empty() ? loaded : s.data_sources;
    for (std::size_t j = 0; j < s.universe.size(); ++j) {
      const bool found =
          std::any_of(bt.sources.begin(), bt.sources.end(), [&](const SourceUse& use) {
            return contains(from, use.name) && contains(use.universe, s.universe[j]);
          });
      if (!found) {
        const SourceLocation w = at(s.universe_where, j, s.where);
        throw ConfigError(w.file, w.line, key + ".universe[" + std::to_string(j) + "]",
                          "symbol '" + s.universe[j] + "' is not in the universe of data source" +
                              (from.size() == 1 ? " " : "s ") + join_names(from));
      }
    }
  }
}

void check_backtest_paths(const BacktestConfig& bt, const DataSourcesConfig& sources) {
  namespace fs = std::filesystem;
  const SourceLocation file{bt.path, 0};
  std::error_code ec;
  for (std::size_t i = 0; i < bt.script_paths.size(); ++i)
    if (!fs::is_directory(bt.script_paths[i], ec)) {
      const SourceLocation w = at(bt.script_paths_where, i, file);
      throw ConfigError(w.file, w.line, "script_paths[" + std::to_string(i) + "]",
                        (fs::exists(bt.script_paths[i], ec) ? "not a folder: "
                                                             : "folder does not exist: ") +
                            bt.script_paths[i]);
    }
  for (std::size_t i = 0; i < bt.sources.size(); ++i) {
    const SourceUse& use = bt.sources[i];
    const DataSourceConfig* src = sources.find(use.name);
    if (!src) continue;  // validate_backtest reported it
    // Futures: roots have no file of their own; the engine checks each
    // contract's file when it reads the contracts file (engine/futures_setup).
    if (!src->contracts.empty()) continue;
    for (std::size_t j = 0; j < use.universe.size(); ++j) {
      const std::string data_file = src->file_for(use.universe[j]);
      const std::string problem = not_a_regular_file(data_file);
      if (problem.empty()) continue;
      const SourceLocation w = at(use.universe_where, j, use.where);
      throw ConfigError(w.file, w.line,
                        "data.sources[" + std::to_string(i) + "].universe[" + std::to_string(j) + "]",
                        problem == "does not exist"
                            ? fmt::format("no data file for '{}' (looked for {})", use.universe[j], data_file)
                            : fmt::format("the data file for '{}', {}, {}", use.universe[j], data_file, problem));
    }
  }
}

}  // namespace qtrader
