// Walk-forward optimisation: windows, a training sweep and a test run per
// window, and the test runs stitched into one results folder
// (qtrader/walk_forward.hpp).
#include "qtrader/walk_forward.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <date/date.h>
#include <fmt/format.h>

#include "base/result_file.hpp"
#include "engine/results_dir.hpp"
#include "qtrader/config.hpp"
#include "qtrader/results.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

constexpr Timestamp kDay = 86'400'000'000'000LL;

date::sys_days to_days(Timestamp t) { return date::sys_days{date::days{t / kDay}}; }
Timestamp from_days(date::sys_days d) { return static_cast<Timestamp>(d.time_since_epoch().count()) * kDay; }

std::size_t metric_index(const std::string& metric) {
  const auto& names = sweep_metric_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == metric) return i;
  throw SweepError(fmt::format("--metric {}: not a sweep metric", metric));
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The rows of a CSV after its header ("" when it has none).
std::string body_of(const std::string& csv, std::string* header) {
  const auto nl = csv.find('\n');
  if (nl == std::string::npos) return {};
  if (header && header->empty()) *header = csv.substr(0, nl + 1);
  return csv.substr(nl + 1);
}

double number(std::string_view text) {
  double v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return v;
}

// The test runs' equity one after the other: each window starts from the
// initial equity, so its cash and equity are shifted by what the windows
// before it gained (adding P&L, like the trades, which are kept as they are).
// Returns the last equity.
double append_equity(const std::string& csv, double offset, std::string& out) {
  double last = 0.0;
  std::istringstream in(body_of(csv, nullptr));
  for (std::string line; std::getline(in, line);) {
    const auto a = line.find(','), b = line.find(',', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const double cash = number(std::string_view(line).substr(a + 1, b - a - 1)) + offset;
    last = number(std::string_view(line).substr(b + 1)) + offset;
    out += fmt::format("{},{},{}\n", line.substr(0, a), cash, last);
  }
  return last;
}

std::string window_dir(const std::string& dir, std::size_t k) {
  return (fs::path(dir) / "windows" / fmt::format("{:02}", k)).string();
}

}  // namespace

CalendarSpan parse_calendar_span(const std::string& text, const std::string& flag) {
  CalendarSpan s;
  const char* end = text.data() + text.size();
  const auto [p, ec] = std::from_chars(text.data(), end, s.count);
  if (ec != std::errc() || s.count <= 0 || p + 1 != end || std::string_view("ymwd").find(*p) == std::string_view::npos)
    throw SweepError(fmt::format("{} {}: expected a whole number and y, m, w or d (3y, 18m, 2w, 90d)", flag, text));
  s.unit = *p;
  return s;
}

Timestamp add_span(Timestamp day, CalendarSpan span, int times) {
  const int n = span.count * times;
  if (span.unit == 'd') return day + n * kDay;
  if (span.unit == 'w') return day + 7LL * n * kDay;
  const date::year_month_day ymd{to_days(day)};
  const date::year_month_day moved =
      span.unit == 'y' ? ymd + date::years{n} : ymd + date::months{n};
  if (moved.ok()) return from_days(date::sys_days{moved});
  return from_days(date::sys_days{moved.year() / moved.month() / date::last});
}

std::vector<WalkForwardWindow> walk_forward_windows(Timestamp start, Timestamp end, const WalkForwardOptions& o) {
  const CalendarSpan step = o.step.count ? o.step : o.test;
  // A step shorter than the test span would make test spans overlap: the
  // stitched record would count those days twice.
  if (add_span(start, step) < add_span(start, o.test))
    throw SweepError("--step is shorter than --test: the test spans would overlap");
  std::vector<WalkForwardWindow> out;
  for (int k = 0;; ++k) {
    WalkForwardWindow w;
    w.train_start = o.anchored ? start : add_span(start, step, k);
    const Timestamp train_end = add_span(add_span(start, o.train), step, k);  // first day after
    w.train_end = train_end - kDay;
    w.test_start = train_end;
    if (w.test_start > end) break;
    w.test_end = std::min(add_span(w.test_start, o.test) - kDay, end);
    out.push_back(w);
  }
  if (out.empty())
    throw SweepError(fmt::format("no walk-forward window fits between {} and {}: the training span alone "
                                 "reaches past end_date", format_date(start), format_date(end)));
  return out;
}

WalkForwardResult run_walk_forward(const WalkForwardOptions& options) {
  const std::size_t metric = metric_index(options.metric);
  const BacktestConfig bt = load_backtest_config(options.backtest);
  WalkForwardResult result;
  result.windows = walk_forward_windows(bt.start_date, bt.end_date, options);

  Engine engine(options.engine);
  std::vector<std::string> names;
  for (const auto& a : options.axes) names.push_back(a.name);
  engine.check_param_names(options.backtest, names);
  std::optional<FolderLock> lock;
  if (options.output_dir.empty()) {
    const SystemConfig sc = load_system_config(engine.system_config_path());
    RunFolder folder = make_results_dir(fs::path(sc.output.default_results_dir) / "walkforward", sc.output,
                                        FixedFolder::Keep);
    result.dir = folder.path;
    lock.emplace(std::move(folder.lock));
  } else {
    fs::create_directories(options.output_dir);
    result.dir = fs::absolute(options.output_dir).lexically_normal().string();
    lock.emplace(result.dir);
  }

  std::string table = "window,train_start,train_end,test_start,test_end,point";
  for (const auto& a : options.axes) table += "," + a.name;
  table += fmt::format(",in_sample_{0},out_of_sample_{0}\n", options.metric);
  std::string equity = "timestamp,cash,equity\n", trades_header, trades, fills_header, fills;
  double offset = 0.0;
  for (std::size_t k = 0; k < result.windows.size(); ++k) {
    WalkForwardWindow& w = result.windows[k];
    SweepOptions sweep;
    sweep.backtest = options.backtest;
    sweep.axes = options.axes;
    sweep.engine = options.engine;
    sweep.output_dir = window_dir(result.dir, k) + "/train";
    sweep.jobs = options.jobs;
    sweep.rank_timeout_seconds = options.rank_timeout_seconds;
    sweep.start_date = w.train_start;
    sweep.end_date = w.train_end;
    const SweepResult trained =
        options.run_training_sweep ? options.run_training_sweep(sweep) : run_sweep(sweep);
    const auto best = best_sweep_rows(trained.rows, options.metric, 1);
    if (best.empty())
      throw SweepError(fmt::format("window {} ({} to {}): no training point finished with a {}", k,
                                   format_date(w.train_start), format_date(w.train_end), options.metric));
    w.point = best.front().point;
    w.values = best.front().values;
    w.in_sample = best.front().metrics.at(metric);

    const RunOptions run =
        point_run_options(options.axes, w.point, window_dir(result.dir, k) + "/test", w.test_start, w.test_end);
    const RunResult tested = engine.run(options.backtest, run);
    const SweepRow oos = sweep_row_from_results(w.point, w.values, tested.results_dir);
    w.out_of_sample = oos.metrics.empty() ? std::string() : oos.metrics.at(metric);

    table += fmt::format("{},{},{},{},{},{}", k, format_date(w.train_start), format_date(w.train_end),
                         format_date(w.test_start), format_date(w.test_end), w.point);
    for (const auto& v : w.values) table += "," + v;
    table += fmt::format(",{},{}\n", w.in_sample, w.out_of_sample);
    const double last = append_equity(read_text(fs::path(run.results_dir) / "equity.csv"), offset, equity);
    offset = last - bt.initial_equity;
    trades += body_of(read_text(fs::path(run.results_dir) / "trades.csv"), &trades_header);
    fills += body_of(read_text(fs::path(run.results_dir) / "fills.csv"), &fills_header);
    if (options.on_window) options.on_window(k, result.windows.size());
  }
  // As a run's own files: NAME.partial renamed when whole, write errors named.
  const auto write = [&](const char* name, const std::string& text) {
    ResultFile out((fs::path(result.dir) / name).string());
    out.write(text);
    out.close();
  };
  write("walkforward.csv", table);
  write("equity.csv", equity);
  write("trades.csv", trades_header + trades);
  write("fills.csv", fills_header + fills);
  write_report(result.dir);
  return result;
}

}  // namespace qtrader
