// check_data: each symbol's file read bar by bar with the run's own reader
// (open_csv_stream, no bar cache), so it fails on exactly the rows a run
// would fail on, plus the checks a run does not make (open/close outside
// low..high, long gaps).
#include "qtrader/data_check.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "config/folder_layout.hpp"
#include "qtrader/config.hpp"
#include "qtrader/data.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

constexpr Timestamp kDay = 86'400'000'000'000;

struct Target {
  std::string symbol;
  DataSourceConfig source;
};

// Monday..Friday strictly between two days (days since the epoch; day 0 was a Thursday).
long weekdays_between(long a, long b) {
  long n = 0;
  for (long d = a + 1; d < b; ++d)
    if (const long wd = ((d % 7) + 7 + 3) % 7; wd < 5) ++n;  // 0 = Monday
  return n;
}

long day_of(Timestamp ts) { return static_cast<long>(ts >= 0 ? ts / kDay : (ts - kDay + 1) / kDay); }

SymbolDataCheck check_file(const Target& t, int max_gap) {
  SymbolDataCheck c;
  c.symbol = t.symbol;
  c.source = t.source.name;
  c.file = t.source.file_for(t.symbol);
  try {
    auto stream = open_csv_stream(t.source, c.file, 0, std::numeric_limits<Timestamp>::min(),
                                  std::numeric_limits<Timestamp>::max());
    Bar bar;
    Timestamp previous = 0;
    while (stream->next(bar)) {
      if (c.bars++ == 0) c.first = bar.ts;
      c.last = bar.ts;
      for (const auto& [name, value] : {std::pair{"open", bar.open}, std::pair{"close", bar.close}})
        if (value < bar.low || value > bar.high)
          c.errors.push_back(fmt::format("{}: bar {}: {} {} is outside low..high {}..{}", c.file,
                                         format_timestamp(bar.ts), name, value, bar.low, bar.high));
      if (c.bars > 1) {
        const long missing = weekdays_between(day_of(previous), day_of(bar.ts));
        if (missing > max_gap)
          c.gaps.push_back(fmt::format("{} weekdays missing between {} and {}", missing,
                                       format_date(previous), format_date(bar.ts)));
      }
      previous = bar.ts;
    }
    if (c.bars == 0) c.errors.push_back(c.file + ": no bars");
  } catch (const DataError& e) {
    c.errors.push_back(e.what());
  } catch (const ConfigError& e) {
    c.errors.push_back(e.what());
  }
  return c;
}

// Every SYMBOL.csv / SYMBOL.txt of a source's path (a folder, or a pattern
// whose last component holds {symbol}), in name order.
std::vector<std::string> symbols_of(const DataSourceConfig& src) {
  static constexpr std::string_view kMarker = "{symbol}";
  fs::path folder = src.path;
  std::string prefix, suffix;
  const fs::path pattern(src.path);
  const std::string last = pattern.filename().string();
  const auto at = last.find(kMarker);
  if (at != std::string::npos) {
    folder = pattern.parent_path();
    prefix = last.substr(0, at);
    suffix = last.substr(at + kMarker.size());
  }
  std::map<std::string, bool> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::string name = entry.path().filename().string();
    if (at != std::string::npos) {
      if (name.size() > prefix.size() + suffix.size() && name.starts_with(prefix) &&
          name.ends_with(suffix))
        found[name.substr(prefix.size(), name.size() - prefix.size() - suffix.size())] = true;
    } else if (const auto ext = entry.path().extension(); ext == ".csv" || ext == ".txt") {
      found[entry.path().stem().string()] = true;
    }
  }
  std::vector<std::string> out;
  out.reserve(found.size());
  for (const auto& [name, _] : found) out.push_back(name);
  return out;
}

std::vector<Target> targets_of_source(const DataSourceConfig& src) {
  std::vector<Target> out;
  for (const auto& symbol : symbols_of(src)) out.push_back({symbol, src});
  if (out.empty())
    throw ConfigError(src.where.file, src.where.line, "sources." + src.name + ".path",
                      "no SYMBOL.csv or SYMBOL.txt files in " + src.path);
  return out;
}

std::vector<Target> targets_of_backtest(const std::string& path, const SystemConfig& system,
                                        const DataCheckOptions& options) {
  BacktestConfig bt = load_backtest_config(path);
  if (!options.data_dir.empty()) use_data_folder(bt, options.data_dir);
  DataSourcesConfig sources;
  if (needs_sources_file(bt)) {
    const DataSourcesConfig file = load_data_sources(system.data.sources_config, system.data.default_timezone);
    sources = sources_for(bt, &file, system.data.default_mode, system.data.default_timezone);
  } else {
    sources = sources_for(bt, nullptr, system.data.default_mode, system.data.default_timezone);
  }
  validate_backtest(bt, sources);
  check_backtest_paths(bt, sources);
  std::vector<Target> out;
  for (const SourceUse& use : bt.sources)
    for (const auto& symbol : use.universe) out.push_back({symbol, *sources.find(use.name)});
  return out;
}

bool is_backtest_file(const std::string& target) {
  const auto ext = fs::path(target).extension();
  std::error_code ec;
  return (ext == ".yaml" || ext == ".yml") && fs::is_regular_file(target, ec);
}

}  // namespace

std::size_t DataCheckReport::error_count() const {
  std::size_t n = 0;
  for (const auto& s : symbols) n += s.errors.size();
  return n;
}

DataCheckReport check_data(const std::string& target, const DataCheckOptions& options) {
  const SystemConfig system = load_system_config(options.system_config);
  std::vector<Target> targets;
  std::error_code ec;
  if (is_backtest_file(target)) {
    targets = targets_of_backtest(target, system, options);
  } else if (fs::is_directory(target, ec)) {
    const auto dir = fs::absolute(target).lexically_normal().string();
    DataSourceConfig probe;
    probe.path = dir;
    const auto symbols = symbols_of(probe);
    if (symbols.empty()) throw ConfigError(target, 0, "", "no SYMBOL.csv or SYMBOL.txt files here");
    targets = targets_of_source(folder_source("data", dir, probe.file_for(symbols.front())));
  } else {
    const DataSourcesConfig file = load_data_sources(system.data.sources_config, system.data.default_timezone);
    const DataSourceConfig* src = file.find(target);
    if (!src) {
      std::string known;
      for (const auto& s : file.sources) known += (known.empty() ? "" : ", ") + s.name;
      throw ConfigError(target, 0, "",
                        "not a backtest file, a folder or a source of " + file.path +
                            " (sources: " + known + ")");
    }
    targets = targets_of_source(*src);
  }
  DataCheckReport report;
  for (const Target& t : targets) report.symbols.push_back(check_file(t, options.max_gap));
  return report;
}

}  // namespace qtrader
