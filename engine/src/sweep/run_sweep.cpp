// run_sweep: a sweep on this machine. The parent reads the market data once,
// hands the pending points to forked workers and records each result as it
// arrives (SweepSession: sweep.sqlite, sweep.csv).
#include <algorithm>
#include <vector>

#include "qtrader/sweep.hpp"
#include "sweep/sweep_session.hpp"
#include "sweep/worker_pool.hpp"

namespace qtrader {

namespace {

// SIGINT/SIGTERM stop the pool; the points it was running are run again on resume.
bool drive_pool(const PointRunner& runner, const SweepOptions& options, SweepSession& session) {
  SweepSignals signals;
  const std::vector<std::size_t>& pending = session.pending();
  const std::size_t jobs = std::max<std::size_t>(1, std::min(options.jobs, pending.size()));
  WorkerPool pool(pending.empty() ? 0 : jobs, [&](std::size_t point) { return runner.run(point); });
  session.start_recording();  // after the fork: the workers never hold the database

  std::size_t next = 0;
  bool stopped = false;
  std::vector<std::size_t> again;
  while (pool.busy() > 0 || (!stopped && (next < pending.size() || !again.empty()))) {
    if (SweepSignals::stop_requested() && !stopped) {
      stopped = true;
      pool.stop();
    }
    while (!stopped && !again.empty() && pool.has_idle()) {
      pool.assign(again.back());
      again.pop_back();
    }
    while (!stopped && next < pending.size() && pool.has_idle()) pool.assign(pending[next++]);
    for (const auto& event : pool.wait(500))
      if (session.record(event, stopped || SweepSignals::stop_requested())) again.push_back(event.point);
  }
  return stopped;
}

}  // namespace

SweepResult run_sweep(const SweepOptions& options) {
  Engine engine(sweep_engine_options(options));
  SweepSession session(engine, options);
  // The market data, read once here and inherited by every worker.
  engine.preload(options.backtest);
  const PointRunner runner(engine, options, session.dir());
  const bool interrupted = drive_pool(runner, options, session);
  return session.finish(interrupted);
}

}  // namespace qtrader
