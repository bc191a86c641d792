// The three configuration files, as typed structs. Loaders validate every key
// (unknown keys are errors) and throw ConfigError naming the file, line and key.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader {

// Where a value came from, for error messages raised after loading
// (e.g. an unknown strategy name found when the registry is consulted).
struct SourceLocation {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
};

// A strategy or risk-policy parameter from a backtest's `config:` mapping.
// Kept as YAML gave it, so the Lua host can check types against the script's
// declared params and report the line. Lists and mappings nest (a list of
// mappings, e.g. risk budgets) and reach Lua as tables.
struct ParamValue {
  enum class Kind { Number, Bool, String, List, Map };
  Kind kind = Kind::Number;
  double number = 0.0;
  bool boolean = false;
  std::string text;
  std::vector<ParamValue> list;                            // Kind::List, in order
  std::vector<std::pair<std::string, ParamValue>> map;     // Kind::Map, file order
  bool is_integer = false;  // a Number written without fraction or exponent
  SourceLocation where;

  // Declared so clang (the sanitizer and fuzz builds) can instantiate
  // std::pair<std::string, ParamValue> while ParamValue is being completed;
  // clang 14 with libstdc++ 12 rejects the implicit ones in that cycle.
  ParamValue() = default;
  ParamValue(const ParamValue&) = default;
  ParamValue(ParamValue&&) noexcept = default;
  ParamValue& operator=(const ParamValue&) = default;
  ParamValue& operator=(ParamValue&&) noexcept = default;
  ~ParamValue() = default;
};
using ParamMap = std::vector<std::pair<std::string, ParamValue>>;  // file order

// ---- config/system.yaml -------------------------------------------------------
// The choices of system.yaml, read into enums (names in engine/src/base/names.cpp).
enum class FillPolicy : std::uint8_t { NextBarOpen, SameBarClose };
enum class CommissionKind : std::uint8_t { Percentage, PerShare, Fixed, Tiered };
enum class SlippageKind : std::uint8_t { None, FixedBps, FixedAmount, VolumeShare };
enum class ImpactKind : std::uint8_t { None, Linear, Sqrt };
enum class LotMatching : std::uint8_t { Fifo, Lifo };
enum class EventStoreBackend : std::uint8_t { Sqlite, Memory, None };
// events.sqlite's form: compact keeps bars by reference to their bar cache
// files; full copies every bar into the file.
enum class EventStoreForm : std::uint8_t { Compact, Full };
enum class SandboxMode : std::uint8_t { Strict, Trusted };
template <> std::span<const char* const> names_of<FillPolicy>() noexcept;
template <> std::span<const char* const> names_of<CommissionKind>() noexcept;
template <> std::span<const char* const> names_of<SlippageKind>() noexcept;
template <> std::span<const char* const> names_of<ImpactKind>() noexcept;
template <> std::span<const char* const> names_of<LotMatching>() noexcept;
template <> std::span<const char* const> names_of<EventStoreBackend>() noexcept;
template <> std::span<const char* const> names_of<EventStoreForm>() noexcept;
template <> std::span<const char* const> names_of<SandboxMode>() noexcept;

// One step of a tiered commission schedule: the per-share rate that applies
// while the month's traded shares (before the fill) are below `up_to`.
struct CommissionTier {
  double up_to = 0.0;  // monthly shares; 0 on the last tier = no upper bound
  double rate = 0.0;   // money per share
};
struct CommissionConfig {
  CommissionKind model = CommissionKind::Percentage;
  double rate = 0.001;   // percentage: fraction of traded value; per_share: money per share
  double minimum = 0.0;  // per_share, tiered: least charged per order
  double maximum = 0.0;  // per_share, tiered: most charged per order; 0 = no maximum
  double amount = 0.0;   // fixed: money per order
  std::vector<CommissionTier> tiers;  // tiered, by increasing up_to
};
struct SlippageConfig {
  SlippageKind model = SlippageKind::None;
  double bps = 0.0;            // fixed_bps: basis points of the price
  double amount = 0.0;         // fixed_amount: money per share
  double price_impact = 0.1;   // volume_share: price * price_impact * (fill qty / bar volume)^2
};
// Market impact (docs/execution.md "Market impact"; execution/market_impact.hpp).
struct ImpactConfig {
  ImpactKind model = ImpactKind::None;
  double coefficient = 0.1;        // sqrt: coefficient * sigma * sqrt(q/ADV); linear: * q/ADV
  int adv_window = 20;             // bars of volume averaged into ADV
  int volatility_window = 20;      // close-to-close returns in sigma
  double permanent_fraction = 0.0; // of the impact, moving the bar's later fills (Almgren–Chriss)
};
struct ExecutionConfig {
  FillPolicy fill_policy = FillPolicy::NextBarOpen;
  CommissionConfig commission;
  SlippageConfig slippage;
  ImpactConfig impact;
  // execution.impact.symbols: a symbol's own settings, each starting from
  // `impact` (docs/execution.md "Market impact"), as the file names them ...
  std::vector<std::pair<std::string, ImpactConfig>> impact_symbols;
  // ... and per symbol id of a run's universe, resolved when the run is
  // prepared (resolve_symbol_impact); empty: `impact` for every symbol.
  std::vector<ImpactConfig> impact_by_symbol;
  double volume_limit = 0.0;  // most of one bar's volume fills may take (0.25 = 25%); 0 = no cap
  // Orders one strategy may have working at once; acceptance refuses its
  // further orders (never a bracket exit). Bounds the work of a bar and of an
  // acceptance (docs/execution.md, "Working-order cap").
  int max_working_orders_per_strategy = 10000;
};
struct PortfolioConfig {
  LotMatching lot_matching = LotMatching::Fifo;
  bool allow_short = true;
  double borrow_fee_rate = 0.0;       // annual, on short market value, accrued per calendar day
  double max_gross_leverage = 0.0;    // gross exposure / equity cap at order acceptance; 0 = none
  bool fractional_quantities = false; // integer quantities only unless true
};
struct EventStoreConfig {
  EventStoreBackend backend = EventStoreBackend::Sqlite;
  std::string filename = "events.sqlite";
  EventStoreForm form = EventStoreForm::Compact;
};
struct OutputConfig {
  std::string default_results_dir = "results";  // relative to the working directory of the run
  EventStoreConfig event_store;
  bool organize_by_date = true;   // YYYY/MM/DD/
  bool use_timestamps = true;     // a run folder named by timestamp_format
  // strftime format of the run folder's name, from the local wall-clock time
  // of the run's start; checked at load (no '/', not empty).
  std::string timestamp_format = "%Y%m%d_%H%M%S";
};
enum class LogFormat : std::uint8_t { Console, Json };
template <> std::span<const char* const> names_of<LogFormat>() noexcept;
struct LoggingConfig {
  // trace | debug | info | warn | error | off, read case-insensitively with
  // `warning` for warn (the names of Python's logging module are accepted).
  std::string level = "info";
  std::string file_level = "info";  // run.log's level; follows `level` unless given
  LogFormat format = LogFormat::Console;  // console: "L message"; json: one object per line
  bool file = true;            // also write run.log into the results folder (`enable_file`)
};
// The binary bar cache (docs/benchmarks.md "Binary bar cache"): each data
// file's parsed bars kept by content hash, so later runs skip CSV parsing.
struct BarCacheConfig {
  bool enabled = true;
  // "" = $XDG_CACHE_HOME/qtrader/bars, else ~/.cache/qtrader/bars; a relative
  // folder is resolved against the system file's folder.
  std::string dir;
};
struct DataConfig {
  std::string sources_config = "data_sources.yaml";  // resolved against the system file's folder
  std::string default_timezone = "UTC";  // an IANA name, checked with TimeZone::find
  // raw | adjusted: the price_mode of sources that do not set one (a source
  // without an adj_close column stays raw; docs/data.md).
  std::string default_mode = "raw";
  BarCacheConfig bar_cache;
};
// How scripts run (docs/embedding.md, docs/lua-api.md "Sandbox").
struct SandboxConfig {
  // strict: user code runs interpreted (JIT off) so the time budgets hold.
  // trusted: the JIT compiles user code (faster); a compiled loop never sees
  // the time budget, so an endless loop hangs the run. Everything else stays.
  SandboxMode mode = SandboxMode::Strict;
  double memory_mb = 64;              // allocator cap of the run's Lua state
  double callback_budget_ms = 1000;   // per on_bar / on_fill / on_order / on_stop / evaluate
  double init_budget_ms = 5000;       // per script main chunk and on_init
  int max_signals_per_callback = 10000;
};
struct SystemConfig {
  std::string path;  // the file this came from ("" for built-in defaults)
  SandboxConfig sandbox;
  ExecutionConfig execution;
  PortfolioConfig portfolio;
  OutputConfig output;
  LoggingConfig logging;
  DataConfig data;
};

// ---- config/data_sources.yaml -------------------------------------------------
// Zero-based column indexes; -1 when the file has no such column.
struct ColumnMap {
  int date = 0, time = -1, open = 1, high = 2, low = 3, close = 4, adj_close = -1, volume = 5,
      open_interest = -1;
};
// A `columns:` entry given by header name instead of index (layout custom);
// looked up in the file's header row by DataSourceConfig::resolve_columns.
struct ColumnByName {
  std::string field;   // date | time | open | high | low | close | adj_close | volume | open_interest
  std::string header;  // the header cell to look for
  SourceLocation where;
};
struct DataSourceConfig {
  std::string name;
  std::string adapter = "csv";
  // A folder holding SYMBOL.csv (or .txt) files, or a path with "{symbol}" in it.
  // Every relative path in a config file is relative to that file's folder;
  // loaders store it resolved (absolute).
  std::string path;
  std::string layout = "yahoo";  // yahoo | ohlcv | custom (with `columns`)
  ColumnMap columns;                         // by index; -1 for fields given by name
  std::vector<ColumnByName> columns_by_name;  // custom layout only
  std::string price_mode = "raw";  // raw | adjusted
  bool price_mode_given = false;   // false: system.yaml's data.default_mode may apply
  // The IANA zone of the file's naive timestamps (a date alone is local
  // midnight); cells with 'Z', an offset or an epoch number are exact and
  // ignore it. Loaders fill system.yaml's data.default_timezone when absent.
  std::string timezone = "UTC";
  bool timezone_given = false;  // false: system.yaml's data.default_timezone applies
  // ---- the file's dialect (docs/data.md "Reading files") -----------------------
  // Every one of these changes the bars read, so bar_shape_key (bar_cache.cpp)
  // includes each. A path ending in ".gz" is read through zlib.
  char delimiter = ',';
  char quote = '"';         // RFC 4180 quoting; '\0' = none
  bool header = true;       // false: the first row is data, columns by index only
  std::string date_format;  // "" = ISO 8601; epoch_s|epoch_ms|epoch_us|epoch_ns; a %-pattern
  std::string time_format;  // "" = HH:MM[:SS[.f]]; a %-pattern of time directives
  // ------------------------------------------------------------------------------
  // A CSV of splits and dividends (symbol,date,type,value); "" for none. Applied
  // as events in price_mode raw; ignored in adjusted mode (prices already adjusted).
  std::string corporate_actions;
  // A futures contracts file (docs/futures.md; config/contracts_config.hpp),
  // resolved; "" for none. The source's universe may then name roots
  // (continuous contracts the engine builds) and contract symbols.
  std::string contracts;
  // ---- consolidation and ticks (docs/data.md "Consolidated bars", "Ticks") ----
  // The length of one of the file's bars ("1m", "5m", "1d"; "" when not
  // declared): lets a consolidator hand out a window with its last source
  // bar instead of waiting for the next window's first one. For ticks: the
  // bars the trades are consolidated into (required).
  std::string bar_size;
  std::string kind = "bars";  // bars | ticks (timestamp, price, size[, bid, ask])
  SourceLocation where;

  // ---- the exchange: trading day, calendar, sessions (h-exchange; docs/data.md
  // "Time zones and trading days") ----
  // The zone whose local day is the trading day (DAY orders, day-end equity,
  // daily returns, borrow fees): the `exchange_timezone` key, else the
  // calendar's zone, else `timezone`. Never empty once loaded.
  std::string exchange_timezone = "UTC";
  std::string calendar;                 // "" = none, else a built-in calendar ("XNYS")
  std::string outside_session = "keep"; // keep | drop: intraday bars outside the calendar's sessions
  std::string frequency = "auto";       // auto | daily | intraday: how output timestamps are written
  SourceLocation exchange_where;        // the key that decided exchange_timezone
  bool exchange_follows_timezone = false;  // neither exchange_timezone nor calendar given

  // A source without `timezone` reads its naive times in system.yaml's
  // data.default_timezone, and so does its exchange day unless set apart.
  void apply_default_timezone(const std::string& zone);

  // The file holding `symbol`'s bars, resolved against the path rules above.
  std::string file_for(const std::string& symbol) const;
  // `columns` with every columns_by_name entry replaced by its index in `header`
  // (the cells of the file's first row; surrounding blanks ignored). Throws
  // ConfigError at the entry's line when `data_file`'s header lacks the column.
  ColumnMap resolve_columns(const std::vector<std::string>& header,
                            const std::string& data_file) const;
};
struct DataSourcesConfig {
  std::string path;
  std::vector<DataSourceConfig> sources;
  const DataSourceConfig* find(const std::string& name) const noexcept;
};

// ---- a backtest file ----------------------------------------------------------
// What happens to a position in a symbol whose data ends before the run does
// (docs/data.md "Coverage"): keep it, marked at its last close. (`close`, a
// close-out at that last bar by execution, is not built yet.)
enum class StalePolicy : std::uint8_t { Keep, Close };
template <> std::span<const char* const> names_of<StalePolicy>() noexcept;
struct SourceUse {
  std::string name;
  std::vector<std::string> universe;
  SourceLocation where;
  std::vector<SourceLocation> universe_where;  // parallel to universe
  // The source's own keys given in the backtest (docs/data.md "Sources in the
  // backtest file"): used instead of a data_sources.yaml entry of that name.
  std::optional<DataSourceConfig> inline_source;
};
struct StrategySpec {
  std::string strategy_id;
  std::string name;  // registry name; the `name` key, else strategy_id
  std::vector<std::string> universe;
  std::vector<std::string> data_sources;  // empty: every source that has the symbol
  ParamMap config;
  // `config: {warmup_bars: N}`: the engine's, not the script's (removed from
  // `config`): the strategy's first N timestamps with a bar are warm-up.
  int warmup_bars = 0;
  // The bars on_bar receives for each universe symbol: "" for the source's
  // own bars, else a coarser timeframe ("5m", "1h", "1d", ...) consolidated
  // by the engine (docs/data.md "Consolidated bars").
  std::string timeframe;
  SourceLocation where;       // the list item
  SourceLocation name_where;  // the key that gave the registry name
  SourceLocation timeframe_where;
  std::vector<SourceLocation> universe_where;      // parallel to universe
  std::vector<SourceLocation> data_sources_where;  // parallel to data_sources
};
struct RiskPolicySpec {
  std::string name = "fixed_quantity";
  ParamMap config;
  SourceLocation where;
};
// `benchmark:` (docs/metrics.md, "Benchmark"): buy-and-hold of a symbol's
// close from a data source, or a CSV of prices or returns.
struct BenchmarkSpec {
  std::string symbol, source;  // a symbol of a data source (source "": the backtest's only one)
  std::string file;            // or a CSV, resolved to an absolute path
  bool returns = false;        // the CSV's column holds returns, not prices
  std::string column;          // the CSV's value column (header cell)
  SourceLocation where;
  bool empty() const noexcept { return symbol.empty() && file.empty(); }
};

// `signals:` (docs/signals.md): a file of model outputs (timestamp, symbol,
// name, value[, available_at]) that ctx:signal delivers point-in-time.
struct SignalSourceSpec {
  std::string name;     // the source's label (summary.json, errors)
  std::string file;     // resolved to an absolute path; ".gz" read through zlib
  std::string version;  // free text recorded with the run; "" when not given
  // Availability: the file's available_at column when it has one, else
  // timestamp + latency (ns). A file without the column needs `latency`.
  Timestamp latency = 0;
  bool has_latency = false;
  // Embargo: values whose availability falls in the first `embargo_bars`
  // bars of their symbol at or after `embargo_cutoff` are withheld.
  Timestamp embargo_cutoff = 0;
  int embargo_bars = 0;  // 0: no embargo
  SourceLocation where;
};

struct BacktestConfig {
  std::string path;
  Timestamp start_date = 0;
  Timestamp end_date = 0;  // inclusive
  SourceLocation start_date_where, end_date_where;
  double initial_equity = 100000.0;
  double replay_speed = 0.0;  // seconds of wall time per bar; 0 = full speed
  // `checkpoint_every: N`: a checkpoint into events.sqlite every N timestamps,
  // for `qtrader resume` (docs/checkpoints.md); 0: none.
  int checkpoint_every = 0;
  SourceLocation checkpoint_every_where;
  StalePolicy stale_policy = StalePolicy::Keep;  // `stale_policy`: a symbol whose data ends early
  int warmup_bars = 0;
  std::vector<std::string> script_paths;  // resolved to absolute paths
  std::vector<SourceLocation> script_paths_where;  // parallel to script_paths
  // `libraries: [mylib@^1.2, ...]`: libraries the run must find, each in a
  // version of its range (docs/libraries.md); checked when the scripts are found.
  std::vector<std::string> libraries;
  std::vector<SourceLocation> libraries_where;  // parallel to libraries
  std::vector<SourceUse> sources;
  std::vector<StrategySpec> strategies;
  RiskPolicySpec risk_policy;
  BenchmarkSpec benchmark;  // empty(): none
  std::vector<SignalSourceSpec> signals;  // `signals:` (docs/signals.md)
  // The run's trading day when its sources' exchange zones differ (h-exchange);
  // "" = the zone they share.
  std::string exchange_timezone;
  SourceLocation exchange_timezone_where;
};

// Loaders. Each throws ConfigError (file, line, key, reason) on any problem:
// YAML syntax, wrong type, unknown key, out-of-range value.
SystemConfig load_system_config(const std::string& path);
// Sources without a `timezone` get `default_timezone` (system.yaml's
// data.default_timezone).
DataSourcesConfig load_data_sources(const std::string& path,
                                    const std::string& default_timezone = "UTC");
BacktestConfig load_backtest_config(const std::string& path);

// Cross-file checks: every source named in the backtest exists in `sources`,
// every strategy's data_sources are loaded by the backtest, and every strategy
// universe symbol is loaded from one of them.
void validate_backtest(const BacktestConfig& backtest, const DataSourcesConfig& sources);

// The sources a backtest reads: its inline sources, then the entries of
// `file` (data_sources.yaml; nullptr when every source is inline) whose name
// no inline source takes (inline wins). `default_mode` (system.yaml's
// data.default_mode) becomes the price_mode of each source that sets none and
// has an adj_close column.
DataSourcesConfig sources_for(const BacktestConfig& backtest, const DataSourcesConfig* file,
                              const std::string& default_mode, const std::string& default_timezone = "UTC");
bool needs_sources_file(const BacktestConfig& backtest);

// `qtrader run --data DIR`: every source of the backtest reads DIR's
// SYMBOL.csv files instead, in the layout DIR's files' header says (yahoo
// when the header says nothing). A backtest without `data:` gets one source
// named "data" whose universe is every symbol its strategies name.
void use_data_folder(BacktestConfig& backtest, const std::string& dir);

// The checks that look at the disk, after validate_backtest: every
// script_paths folder exists, and every universe symbol has a data file
// (DataSourceConfig::file_for). Throws ConfigError at the backtest's line.
void check_backtest_paths(const BacktestConfig& backtest, const DataSourcesConfig& sources);

// The benchmark's source is known (or the backtest has one source to default
// to) and its file exists. Throws ConfigError at the `benchmark:` line.
// Returns the source a symbol benchmark is read from (nullptr for a CSV).
const DataSourceConfig* check_benchmark(const BacktestConfig& backtest,
                                        const DataSourcesConfig& sources);

}  // namespace qtrader
