#include "engine/futures_setup.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "engine/exchange_setup.hpp"
#include "engine/prepared_run.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

namespace {

const ContractsConfig* file_of(const std::vector<std::shared_ptr<const ContractsConfig>>& files,
                               const std::string& path) {
  for (const auto& f : files)
    if (f->path == path) return f.get();
  return nullptr;
}

}  // namespace

std::vector<std::shared_ptr<const ContractsConfig>> add_contract_symbols(Universe& u, const BacktestConfig& bt,
                                                                         const DataSourcesConfig& sources) {
  std::vector<std::shared_ptr<const ContractsConfig>> files;
  for (std::size_t i = 0; i < bt.sources.size(); ++i) {
    const SourceUse& use = bt.sources[i];
    const DataSourceConfig* src = sources.find(use.name);
    if (!src || src->contracts.empty()) continue;
    const ContractsConfig* cfg = file_of(files, src->contracts);
    if (!cfg) {
      files.push_back(std::make_shared<const ContractsConfig>(load_contracts(src->contracts)));
      cfg = files.back().get();
    }
    for (std::size_t j = 0; j < use.universe.size(); ++j) {
      const std::string& name = use.universe[j];
      if (cfg->root_of_contract(name)) continue;
      const FuturesRootSpec* root = cfg->find_root(name);
      if (!root) {
        const SourceLocation w = j < use.universe_where.size() ? use.universe_where[j] : use.where;
        throw ConfigError(w.file, w.line,
                          "data.sources[" + std::to_string(i) + "].universe[" + std::to_string(j) + "]",
                          "'" + name + "' is neither a root nor a contract of the contracts file " + cfg->path);
      }
      for (const ContractSpec& c : root->contracts) {
        if (u.symbols.find(c.symbol) != kNoSymbol) continue;  // listed in the universe too
        const std::string file = src->file_for(c.symbol);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec))
          throw ConfigError(cfg->path, c.where.line, "roots." + root->root + ".contracts." + c.symbol,
                            "no data file for contract '" + c.symbol + "' (looked for " + file + ")");
        u.symbols.intern(c.symbol);
        u.source_of.push_back(src);
      }
    }
  }
  return files;
}

FuturesRun build_futures(std::vector<std::shared_ptr<const ContractsConfig>> files, const Universe& u,
                         const ExchangeSetup& exchange, const BarCacheConfig& bar_cache) {
  FuturesRun run;
  if (files.empty()) return run;
  const std::size_t n = u.symbols.size();
  run.files = std::move(files);
  run.terms.by_symbol.resize(n);
  run.terms.contracts.resize(n);
  run.terms.routes.resize(n);
  run.series.resize(n);
  auto terms_of = [](const FuturesRootSpec& r) {
    ContractTerms t;
    t.future = true;
    t.multiplier = r.multiplier;
    t.initial_margin = r.initial_margin;
    t.maintenance_margin = r.maintenance_margin;
    t.tick_size = r.tick_size;
    return t;
  };
  for (SymbolId s = 0; s < n; ++s) {
    const DataSourceConfig* src = u.source_of[s];
    if (src->contracts.empty()) continue;
    const ContractsConfig& cfg = *file_of(run.files, src->contracts);
    const std::string& name = u.symbols.name(s);
    if (const FuturesRootSpec* r = cfg.root_of_contract(name)) {
      run.terms.by_symbol[s] = terms_of(*r);
      continue;
    }
    const FuturesRootSpec& root = *cfg.find_root(name);
    run.terms.by_symbol[s] = terms_of(root);
    run.terms.by_symbol[s].continuous = true;
    // Each contract's whole file: the rolls do not depend on the run's dates.
    // Open interest is read as the volume of a custom layout over the same file.
    DataSourceConfig activity_source = *src;
    if (root.roll == RollRule::OpenInterest) {
      auto& by_name = activity_source.columns_by_name;
      const bool named = std::any_of(by_name.begin(), by_name.end(),
                                     [](const ColumnByName& c) { return c.field == "open_interest"; });
      if (src->columns.open_interest < 0 && !named)
        throw ConfigError(cfg.path, root.where.line, "roots." + root.root + ".roll",
                          "rule open_interest needs an open_interest column in source '" + src->name +
                              "' (layout ohlcv with an OpenInterest column, or custom)");
      activity_source.columns = columns_for(*src);
      activity_source.layout = "custom";
      activity_source.columns.volume = src->columns.open_interest;
      std::erase_if(by_name, [](const ColumnByName& c) { return c.field == "volume"; });
      for (ColumnByName& c : by_name)
        if (c.field == "open_interest") c.field = "volume";
    }
    std::vector<ContractBars> contracts;
    for (const ContractSpec& c : root.contracts) {
      const SymbolId id = u.symbols.find(c.symbol);
      run.terms.contracts[s].push_back(id);
      ContractBars cb;
      cb.file = src->file_for(c.symbol);
      constexpr Timestamp lo = std::numeric_limits<Timestamp>::min(), hi = std::numeric_limits<Timestamp>::max();
      auto stream = open_bar_stream(*src, cb.file, id, lo, hi, bar_cache);
      for (Bar b; stream->next(b);) cb.bars.push_back(b);
      if (root.roll == RollRule::Volume) {
        for (const Bar& b : cb.bars) cb.activity.push_back(b.volume);
      } else if (root.roll == RollRule::OpenInterest) {
        auto oi = open_bar_stream(activity_source, cb.file, id, lo, hi, bar_cache);
        for (Bar b; oi->next(b);) cb.activity.push_back(b.volume);
      }
      contracts.push_back(std::move(cb));
    }
    ContinuousSeries series = build_continuous(root, contracts, exchange.clocks[s].zone());
    const auto& ids = run.terms.contracts[s];
    run.terms.routes[s].push_back({std::numeric_limits<Timestamp>::min(), ids[series.first_contract]});
    for (const RollPoint& p : series.rolls) {
      run.terms.routes[s].push_back({p.decided, ids[p.to]});
      ScheduledRoll roll{p.decided, p.first_bar, s, ids[p.from], ids[p.to]};
      if (root.adjust == BackAdjust::Difference) roll.shift = p.new_close - p.old_close;
      if (root.adjust == BackAdjust::Ratio) roll.scale = p.new_close / p.old_close;
      run.terms.rolls.push_back(roll);
    }
    run.series[s] = std::make_shared<const std::vector<Bar>>(series.bars);
    run.built.emplace_back(s, std::move(series));
  }
  std::stable_sort(run.terms.rolls.begin(), run.terms.rolls.end(),
                   [](const ScheduledRoll& a, const ScheduledRoll& b) { return a.decided < b.decided; });
  return run;
}

}  // namespace qtrader
