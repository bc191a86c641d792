// The embedding API: load a backtest, run it, read where its results went.
// An Engine is reusable: each run() re-reads the configuration and the
// scripts, so a script edited between two runs takes effect in the second.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "qtrader/types.hpp"


namespace qtrader {

class MarketDataCache;  // engine/src/engine/market_data_cache.hpp

// A script a run loaded, with the hash of the bytes it ran (FNV-1a 64, 16 hex
// digits), so a result can be traced to the exact code that made it.
struct ScriptUse {
  std::string name;  // registry name; the module name for a `require`d module
  std::string kind;  // strategy | risk_policy | module
  std::string path;  // absolute
  std::string hash;
};

// A library (a folder with qtrader-lib.yaml) a run used: one of its scripts
// ran, a script required it, or the backtest pins it (docs/libraries.md).
struct LibraryUse {
  std::string name;
  std::string version;
  std::string hash;    // library_content_hash: "xxh64:" + 16 hex digits
  std::string path;    // its folder, absolute
  std::string source;  // where `qtrader lib add` installed it from; else its folder
};

// The params one script ran with: every param it declares, defaults filled
// in, in name order; each value as JSON text.
struct ScriptParams {
  std::string owner;  // the strategy id, or "risk_policy"
  std::string name;   // registry name
  std::vector<std::pair<std::string, std::string>> values;
};

struct RunSummary {
  std::uint64_t bars_processed = 0;
  std::uint64_t timestamps = 0;
  std::uint64_t signals = 0;
  std::uint64_t orders = 0;
  std::uint64_t rejections = 0;
  std::uint64_t fills = 0;
  std::uint64_t events = 0;
  double initial_equity = 0.0;
  double final_cash = 0.0;
  double final_equity = 0.0;
  double realized_pnl = 0.0;  // closed round trips, before commissions (summary.json gross_pnl_closed)
  double commissions = 0.0;   // every fill's, open positions' included
  std::size_t trades = 0;
  std::string start_date, end_date;  // configured
  std::string first_bar, last_bar;   // seen; empty when no bar was in range
  struct OpenPosition {
    std::string symbol;
    double quantity, avg_price, last_price;
  };
  std::vector<OpenPosition> open_positions;
  // A symbol whose bars start after the run's first bar or end before its
  // last (summary.json `partial_coverage`; docs/data.md "Coverage").
  struct PartialCoverage {
    std::string symbol;
    std::string first_bar, last_bar;  // its own; empty when it has no bar in the run
    bool starts_late = false, ends_early = false;
  };
  std::vector<PartialCoverage> partial_coverage;
  std::string stale_policy = "keep";  // data.stale_policy of the backtest
  std::vector<ScriptUse> scripts;  // every script and module the run loaded
  std::vector<LibraryUse> libraries;  // by name
  std::vector<ScriptParams> params;    // the strategies' (in file order), then the risk policy's
  std::vector<std::string> overrides;  // the run's --param overrides, "NAME=VALUE" as given
  // The form of the run's timestamps ("dates" | "instants") and the run's
  // exchange zone; both empty for a UTC daily run (docs/data.md).
  std::string time_format, exchange_timezone;
  // The run's `signals:` sources (docs/signals.md): the file's XXH64 and the
  // declared version, so that two runs can tell whether they read the same values.
  struct SignalSource {
    std::string name, file, version, hash;
    std::size_t rows = 0;
  };
  std::vector<SignalSource> signal_sources;
};

struct EngineOptions {
  // config/system.yaml to use; empty: <root>/config/system.yaml.
  std::string system_config;
  // The data folder: built-in strategies/ and scripts/, config/system.yaml.
  // Empty: find_data_home() ($QTRADER_HOME, else beside the executable;
  // qtrader/data_home.hpp), which throws std::runtime_error when there is none.
  std::string root;
  // Keep market data in memory between runs of this Engine (re-read when a
  // file's size or mtime changes, or for other dates). For long-lived hosts:
  // `qtrader watch`, applications that re-run after editing scripts.
  bool cache_market_data = false;
  // `--data DIR`: a folder of SYMBOL.csv files that every source of each
  // backtest reads instead of its own (docs/data.md "Sources in the backtest file").
  std::string data_dir;
};

struct MarketDataCacheStats {
  std::size_t files = 0;     // symbol files held
  std::uint64_t hits = 0;    // opens served from memory
  std::uint64_t misses = 0;  // opens that read the file
};

// One `--param NAME=VALUE` (docs/sweep.md). NAME is `param` (a param of the
// backtest's only strategy), `STRATEGY_ID.param` (a param of that strategy) or
// `risk.param` (a param of the risk policy). VALUE is read as a YAML scalar,
// as if written in the backtest's `config:` mapping: 10 an integer, 0.5 a
// number, true a boolean, anything else a string. Overrides replace (or add
// to) the backtest's config before any check, so an undeclared param or a
// wrong type fails as the same typo in the YAML would; such errors name the
// file "--param" and, as the line, the override's 1-based position.
struct ParamOverride {
  std::string name;
  std::string value;
};

// How far a run is, for RunOptions::on_progress.
struct RunProgress {
  double percent = 0;        // of the simulated period (start of data to end_date)
  std::string sim_date;      // the last timestamp processed, as a date (YYYY-MM-DD)
  std::uint64_t bars = 0;    // bars processed so far
  double seconds = 0;        // wall time since the run started
  bool done = false;         // the run's last call (completed, failed or interrupted)
  // The portfolio as valued at sim_date's timestamp.
  std::string sim_time;       // the last timestamp processed, as the results files write it (UTC)
  double equity = 0;
  double pnl = 0;             // equity - initial_equity
  std::size_t open_positions = 0;
};

// Colour escapes in the run's log lines on stderr.
enum class LogColor { Auto, Always, Never };  // Auto: on a terminal, unless NO_COLOR is set

struct RunOptions {
  std::string output_dir;  // overrides output.default_results_dir when not empty
  // When not empty, the run writes into exactly this folder (created when
  // missing) instead of a new dated one under output_dir. For parameter sweeps.
  std::string results_dir;
  std::vector<ParamOverride> params;  // applied in order; a later one wins
  bool memory_event_store = false;    // keep events in memory whatever output.event_store says
  bool quiet = false;      // no log lines on stderr below warnings
  bool verbose = false;    // debug log lines on stderr
  LogColor color = LogColor::Auto;
  // Called on the run's thread about every 250 ms while it runs, and once
  // with done = true at its end; empty (the default): no progress is shown.
  // The command sets one that draws a bar on stderr when it is a terminal.
  std::function<void(const RunProgress&)> on_progress;
  bool report = true;      // write metrics.json and report.html at the end
  // When set, the run checks it once per timestamp and, once it is true, stops
  // with RunInterrupted (status `interrupted`): what a signal handler sets.
  const std::atomic<bool>* stop = nullptr;
  // Run even when a library's content differs from the backtest's qtrader.lock
  // (`--allow-unlocked`); the run still records what it used.
  bool allow_unlocked = false;
  // Check every stored event against the contracts (the data folder's
  // contracts/) before the run is complete (`--validate-events`): an event
  // that breaks its contract fails the run, naming it. Needs events.sqlite.
  bool validate_events = false;
  // When not 0, replace the backtest's start_date / end_date (a day, as
  // BacktestConfig holds it: UTC midnight of the exchange-local date). For
  // walk-forward windows, which run one backtest over many spans.
  Timestamp start_date = 0;
  Timestamp end_date = 0;
  // Simulated seconds per wall second (0: as fast as possible): the run
  // reaches a timestamp T no sooner than (T - first timestamp) / factor wall
  // seconds after its first. On top of the backtest's replay_speed.
  double acceleration_factor = 0;
};

struct RunResult {
  std::string results_dir;
  RunSummary summary;
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});

  // Runs the backtest file. Throws ConfigError or DataError for bad input,
  // ScriptError when a script fails; results written before a failure stay on disk.
  RunResult run(const std::string& backtest_path, const RunOptions& options = {});

  // Continues the run in `run_dir` from its last checkpoint (the backtest's
  // `checkpoint_every`; docs/checkpoints.md): the same backtest, system file,
  // --param overrides, --data folder and dates as recorded, its events after
  // the checkpoint dropped, every service restored; the finished files are
  // those of a run never interrupted. Of `options`, only the logging, the
  // progress callback, `stop` and `acceleration_factor` are used. Throws
  // std::runtime_error, writing nothing, for a run that is complete, has no
  // checkpoint, or whose scripts, data or configuration changed since.
  RunResult resume(const std::string& run_dir, const RunOptions& options = {});

  // Checks the backtest as run() does (without param overrides) and reads the
  // market data run() would read into this Engine's cache (cache_market_data
  // must be on), so later runs, and processes forked afterwards, find it in
  // memory. Throws what run() throws for bad input.
  void preload(const std::string& backtest_path);

  // Checks, without running, that each name in `names` (as ParamOverride::name)
  // targets a strategy or the risk policy of the backtest and is a param its
  // script declares. Throws ConfigError (file "--param", line = position + 1).
  void check_param_names(const std::string& backtest_path, const std::vector<std::string>& names) const;

  // The libraries a run of the backtest would use, with their content hashes
  // (`qtrader lib lock`). Throws what run() throws for bad input.
  std::vector<LibraryUse> libraries_used(const std::string& backtest_path) const;

  const std::string& root() const noexcept { return root_; }
  // EngineOptions::system_config, or <root>/config/system.yaml when that is empty.
  std::string system_config_path() const;
  // Zeros when cache_market_data is off.
  MarketDataCacheStats market_data_cache_stats() const noexcept;

 private:
  EngineOptions options_;
  std::string root_;
  std::shared_ptr<MarketDataCache> cache_;  // null unless cache_market_data
};


}  // namespace qtrader
