// Point-in-time model signals (docs/signals.md): a deliberately leaky file —
// values known only after their own timestamp — read by a strategy on daily
// and on minute bars; the strategy sees each value from its availability on,
// never earlier, and the embargo withholds what it should.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "csv_table.hpp"
#include "data/xxh64.hpp"
#include "expect_error.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/time.hpp"
#include "run_backtest.hpp"
#include "signals/signal_book.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

void write(const test::TempDir& dir, const std::string& name, const std::string& text) {
  std::filesystem::create_directories((dir / name).parent_path());
  std::ofstream(dir / name) << text;
}

void write_gzip(const test::TempDir& dir, const std::string& name, const std::string& text) {
  gzFile f = gzopen((dir / name).c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
  gzclose(f);
}

const char* kSystem =
    "execution: {fill_policy: next_bar_open, commission: {model: percentage, rate: 0.001}}\n"
    "output: {organize_by_date: false}\n"
    "logging: {level: error, file: false}\n";

std::string probe_dir() { return std::string(QTRADER_FIXTURES_DIR) + "/signals"; }

// The values the probe recorded for `name`, in bar order.
std::vector<double> recorded(const RunResult& run, const std::string& name) {
  const test::CsvTable t = test::read_csv(run.results_dir + "/records.csv");
  std::vector<double> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    if (t.at(i, "name") == name) out.push_back(t.num(i, "value"));
  return out;
}

}  // namespace

TEST_CASE("A leaky daily signal file is seen only from each value's availability") {
  test::TempDir dir("signals");
  write(dir, "system.yaml", kSystem);
  write(dir, "data/SPY.csv",
        "Date,Open,High,Low,Close,Volume\n"
        "2024-01-02,100,101,99,100,1000\n2024-01-03,100,101,99,100,1000\n2024-01-04,100,101,99,100,1000\n"
        "2024-01-05,100,101,99,100,1000\n2024-01-08,100,101,99,100,1000\n2024-01-09,100,101,99,100,1000\n"
        "2024-01-10,100,101,99,100,1000\n");
  // availability = max(timestamp + 1d, available_at):
  //   1: Jan 4 (the leak: stamped Jan 2, known Jan 4)   2: Jan 4 (Jan 3 + 1d beats 12:00)
  //   3: Jan 9 (a late value of Jan 4)                  4: Jan 6 (latency beats Jan 5)
  //   5: Jan 9 (no available_at: latency)
  write(dir, "signals/alpha.csv",
        "timestamp,symbol,name,value,available_at\n"
        "2024-01-02,SPY,alpha,1,2024-01-04\n"
        "2024-01-03,SPY,alpha,2,2024-01-03 12:00:00\n"
        "2024-01-04,SPY,alpha,3,2024-01-09\n"
        "2024-01-05,SPY,alpha,4,2024-01-05\n"
        "2024-01-08,SPY,alpha,5,\n"
        "2024-01-03,QQQ,alpha,99,2024-01-03\n");  // a symbol the run does not load
  // Known the day of its timestamp; embargo: the 2 bars from Jan 4 (Jan 4, 5).
  write(dir, "signals/gamma.csv",
        "timestamp,symbol,name,value,available_at\n"
        "2024-01-02,SPY,gamma,2,2024-01-02\n2024-01-03,SPY,gamma,3,2024-01-03\n"
        "2024-01-04,SPY,gamma,4,2024-01-04\n2024-01-05,SPY,gamma,5,2024-01-05\n"
        "2024-01-08,SPY,gamma,8,2024-01-08\n2024-01-09,SPY,gamma,9,2024-01-09\n");
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-01-31\ninitial_equity: 100000\n"
        "script_paths: [" + probe_dir() + "]\n"
        "data: {sources: [{name: d, path: data, layout: ohlcv, universe: [SPY]}]}\n"
        "signals:\n"
        "  - {name: model_a, file: signals/alpha.csv, latency: 1d, version: v3}\n"
        "  - {name: model_g, file: signals/gamma.csv, embargo: {cutoff: 2024-01-04, bars: 2}}\n"
        "strategies: [{strategy_id: p, name: signal_probe, universe: [SPY], config: {signals: 'alpha,gamma'}}]\n");
  const RunResult run =
      test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());

  //                     Jan 2  3  4  5  8  9 10
  CHECK(recorded(run, "alpha") == std::vector<double>{-1, -1, 2, 2, 4, 5, 5});
  CHECK(recorded(run, "gamma") == std::vector<double>{2, 3, 3, 3, 8, 9, 9});

  std::ifstream in(run.results_dir + "/summary.json");
  const auto summary = nlohmann::json::parse(in);
  const auto& sources = summary.at("signal_sources");
  REQUIRE(sources.size() == 2);
  CHECK(sources[0].at("name") == "model_a");
  CHECK(sources[0].at("version") == "v3");
  CHECK(sources[0].at("rows") == 6);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(*data_detail::xxh64_file((dir / "signals/alpha.csv").string())));
  CHECK(sources[0].at("hash") == hex);
  CHECK(sources[1].at("version") == "");
}

TEST_CASE("A leaky gzip signal file on minute bars is seen only from each value's availability") {
  test::TempDir dir("signals");
  write(dir, "system.yaml", kSystem);
  std::string bars = "Date,Open,High,Low,Close,Volume\n";
  for (int m = 30; m < 40; ++m) bars += "2024-01-02 09:" + std::to_string(m) + ":00,100,101,99,100,1000\n";
  write(dir, "data/SPY.csv", bars);
  // latency 30s; availability = max(timestamp + 30s, available_at):
  //   10: 09:32:30 (stamped 09:30)  11: 09:31:30  12: 09:36 (late, older than 13)  13: 09:34:30
  write_gzip(dir, "fast.csv.gz",
             "timestamp,symbol,name,value,available_at\n"
             "2024-01-02 09:30:00,SPY,fast,10,2024-01-02 09:32:30\n"
             "2024-01-02 09:31:00,SPY,fast,11,2024-01-02 09:31:00\n"
             "2024-01-02 09:33:00,SPY,fast,12,2024-01-02 09:36:00\n"
             "2024-01-02 09:34:00,SPY,fast,13,2024-01-02 09:34:00\n");
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-01-31\ninitial_equity: 100000\n"
        "script_paths: [" + probe_dir() + "]\n"
        "data: {sources: [{name: m, path: data, layout: ohlcv, bar_size: 1m, universe: [SPY]}]}\n"
        "signals: [{name: fast_model, file: fast.csv.gz, latency: 30s}]\n"
        "strategies: [{strategy_id: p, name: signal_probe, universe: [SPY], config: {signals: fast}}]\n");
  const RunResult run =
      test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / "out").string());
  //                    09:30 31  32  33  34  35  36  37  38  39
  CHECK(recorded(run, "fast") == std::vector<double>{-1, -1, 11, 11, 11, 13, 13, 13, 13, 13});
}

TEST_CASE("SignalBook answers at every instant with what was available then") {
  test::TempDir dir("signals");
  write(dir, "s.csv",
        "timestamp,symbol,name,value,available_at\n"
        "2024-01-02,AAA,x,1,2024-01-05\n"
        "2024-01-03,AAA,x,2,2024-01-03\n");
  SymbolTable symbols;
  const SymbolId aaa = symbols.intern("AAA");
  SignalSourceSpec spec;
  spec.name = "s";
  spec.file = (dir / "s.csv").string();
  SignalBook book({spec}, symbols);
  const Timestamp day = 86400 * kNanosPerSecond;
  const Timestamp jan3 = *parse_date("2024-01-03");
  CHECK_FALSE(book.latest("x", aaa, jan3 - 1).has_value());
  CHECK(book.latest("x", aaa, jan3) == 2.0);
  CHECK(book.latest("x", aaa, jan3 + 2 * day) == 2.0);  // the Jan 2 value, now known, is older
  CHECK_THROWS_WITH(book.latest("y", aaa, jan3), "no signal source defines 'y' (known: x)");
}

TEST_CASE("The embargo withholds values known in the first N bars from the cutoff") {
  test::TempDir dir("signals");
  write(dir, "s.csv",
        "timestamp,symbol,name,value\n"
        "2024-01-02,AAA,x,2\n2024-01-03,AAA,x,3\n2024-01-04,AAA,x,4\n2024-01-05,AAA,x,5\n"
        "2024-01-08,AAA,x,8\n");
  SymbolTable symbols;
  const SymbolId aaa = symbols.intern("AAA");
  SignalSourceSpec spec;
  spec.name = "s";
  spec.file = (dir / "s.csv").string();
  spec.has_latency = true;  // latency 0
  spec.embargo_cutoff = *parse_date("2024-01-03");
  spec.embargo_bars = 1;  // the bar of Jan 3 only: the window ends at the next bar (Jan 5, no Jan 4 bar)
  SignalBook book({spec}, symbols);
  const auto at = [&](const char* d) { return book.latest("x", aaa, *parse_date(d)); };
  book.note_bar(aaa, *parse_date("2024-01-02"));
  CHECK(at("2024-01-02") == 2.0);
  book.note_bar(aaa, *parse_date("2024-01-03"));
  CHECK(at("2024-01-03") == 2.0);
  // No bar on Jan 4 yet: the window is still open, the Jan 4 value withheld.
  CHECK(at("2024-01-04") == 2.0);
  book.note_bar(aaa, *parse_date("2024-01-05"));
  CHECK(at("2024-01-05") == 5.0);  // Jan 3 and Jan 4 fell in [Jan 3, Jan 5): withheld for good
  book.note_bar(aaa, *parse_date("2024-01-08"));
  CHECK(at("2024-01-08") == 8.0);
}

TEST_CASE("A bad signal file fails naming the file the line and the column") {
  test::TempDir dir("signals");
  SymbolTable symbols;
  symbols.intern("AAA");
  SignalSourceSpec spec;
  spec.name = "s";
  spec.file = (dir / "s.csv").string();
  spec.has_latency = true;
  const auto error_of = [&](const std::string& text) -> std::string {
    write(dir, "s.csv", text);
    try {
      SignalBook book({spec}, symbols);
    } catch (const DataError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string f = spec.file;
  CHECK(error_of("timestamp,symbol,name,value\n2024-01-02,AAA,x,1\n2024-01-03,AAA,x,abc\n") ==
        f + ":3: column 'value': 'abc' is not a finite number");
  CHECK(error_of("timestamp,symbol,name,value\n2024-13-02,AAA,x,1\n") ==
        f + ":2: column 'timestamp': '2024-13-02' is not \"YYYY-MM-DD[ HH:MM:SS]\"");
  CHECK(error_of("timestamp,symbol,name,value,score\n") ==
        f + ":1: unknown column 'score' (expected timestamp, symbol, name, value and optionally available_at)");
  CHECK(error_of("timestamp,symbol,value\n") == f + ":1: missing column 'name'");
  CHECK(error_of("timestamp,symbol,name,value\n2024-01-02,AAA,x\n") == f + ":2: 3 columns, the header has 4");
  spec.has_latency = false;
  CHECK(error_of("timestamp,symbol,name,value,available_at\n2024-01-02,AAA,x,1,\n") ==
        f + ":2: column 'available_at': empty, and the source has no 'latency' (source 's')");
}

TEST_CASE("A bad signals entry fails at its line and key") {
  test::TempDir dir("signals");
  const auto error_of = [&](const std::string& entry) -> std::string {
    write(dir, "bt.yaml",
          "start_date: 2024-01-01\nend_date: 2024-01-31\n"
          "signals:\n  - " + entry + "\n"
          "strategies: [{strategy_id: p, name: signal_probe, universe: [SPY]}]\n");
    try {
      load_backtest_config((dir / "bt.yaml").string());
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string f = (dir / "bt.yaml").string();
  CHECK(error_of("{name: a, file: s.csv, latency: 1y}") ==
        f + ":4: key 'signals[0].latency': latency must be a duration such as \"30s\", \"15m\", \"1h\" or \"1d\", got '1y'");
  CHECK(error_of("{name: a, file: s.csv, embargo: {cutoff: 2012-01-01, bars: 0}}") ==
        f + ":4: key 'signals[0].embargo.bars': must be > 0, got '0'");
  CHECK(error_of("{name: a, file: s.csv, lag: 1d}") ==
        f + ":4: key 'signals[0].lag': unknown key 'lag' (expected one of: name, file, latency, version, embargo)");
}

TEST_CASE("The same signal inputs give byte-identical records and summary") {
  test::TempDir dir("signals");
  write(dir, "system.yaml", kSystem);
  write(dir, "data/SPY.csv", "Date,Open,High,Low,Close,Volume\n2024-01-02,100,101,99,100,1000\n"
                             "2024-01-03,100,101,99,100,1000\n2024-01-04,100,101,99,100,1000\n");
  write(dir, "s.csv", "timestamp,symbol,name,value\n2024-01-02,SPY,alpha,0.25\n2024-01-03,SPY,alpha,0.5\n");
  write(dir, "bt.yaml",
        "start_date: 2024-01-01\nend_date: 2024-01-31\ninitial_equity: 100000\n"
        "script_paths: [" + probe_dir() + "]\n"
        "data: {sources: [{name: d, path: data, layout: ohlcv, universe: [SPY]}]}\n"
        "signals: [{name: s, file: s.csv, latency: 1d}]\n"
        "strategies: [{strategy_id: p, name: signal_probe, universe: [SPY]}]\n");
  const auto once = [&](const char* out) {
    return test::run_backtest((dir / "system.yaml").string(), (dir / "bt.yaml").string(), (dir / out).string());
  };
  const RunResult a = once("a"), b = once("b");
  CHECK(recorded(a, "alpha") == std::vector<double>{-1, 0.25, 0.5});
  for (const char* f : {"/records.csv", "/summary.json"}) {
    std::ifstream fa(a.results_dir + f), fb(b.results_dir + f);
    const std::string sa((std::istreambuf_iterator<char>(fa)), {}), sb((std::istreambuf_iterator<char>(fb)), {});
    INFO(f);
    CHECK(sa == sb);
  }
}
