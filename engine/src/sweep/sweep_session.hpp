// The parts of a sweep that do not depend on where its points run, shared by
// the local worker pool (run_sweep.cpp) and the MPI coordinator
// (engine/src/cluster): the recording side (SweepSession: checks the grid,
// opens or resumes the folder, records each finished point, writes the final
// files), the running side (PointRunner: one point in a worker process), the
// one message a worker sends per point, and the stop signals.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "qtrader/sweep.hpp"
#include "sweep/worker_pool.hpp"

namespace qtrader {

class FolderLock;
class SweepStore;

// The engine every process of a sweep runs points with (market data cached).
EngineOptions sweep_engine_options(const SweepOptions& options);

// A row as the worker's one-line message, and back.
std::string row_message(const SweepRow& row);
SweepRow row_from_message(const std::string& line);

// Runs points in a worker process: a fresh run (its own Lua state) per point
// into <sweep_dir>/points/NNNN, over the market data `engine` preloaded.
class PointRunner {
 public:
  PointRunner(Engine& engine, const SweepOptions& options, std::string sweep_dir);
  // The row of `point` as a row_message; a failed run is a failed row.
  std::string run(std::size_t point) const;

 private:
  Engine& engine_;
  const SweepOptions& options_;
  std::string dir_;
  std::size_t total_;
};

// SIGINT and SIGTERM stop the sweep cleanly (finished points are kept);
// SIGPIPE is ignored so a dead worker's pipe is an error, not the parent's death.
class SweepSignals {
 public:
  SweepSignals();
  ~SweepSignals();
  SweepSignals(const SweepSignals&) = delete;
  SweepSignals& operator=(const SweepSignals&) = delete;
  static bool stop_requested();

 private:
  struct Saved;
  std::unique_ptr<Saved> saved_;
};

// The recording process of a sweep. Holds the folder's lock from the
// constructor to its destruction.
class SweepSession {
 public:
  // Checks the axes and the params (throws as run_sweep does), opens the
  // sweep's folder (a new one, or an earlier run of the same sweep, whose
  // finished points are kept) and lists the points still to run.
  SweepSession(Engine& engine, const SweepOptions& options);
  ~SweepSession();

  const std::string& dir() const;
  const std::vector<std::size_t>& pending() const { return pending_; }

  // Opens sweep.sqlite and sweep.csv for recording: after any fork, so
  // workers never hold the database.
  void start_recording();
  // One point's outcome from a worker: its row, or its worker's death. A
  // worker that dies for reasons that are not its point's (the OOM killer, an
  // operator's kill) costs nothing the first time: true means "run it again".
  // The second death is a failed row. A death while stopping is not recorded
  // (the point runs again on resume).
  bool record(const WorkerPool::Event& event, bool stopping);
  // The final sweep.csv (point order) and sweep.html; the result.
  SweepResult finish(bool interrupted);

 private:
  void record_row(SweepRow row);

  const SweepOptions& options_;
  SweepResult result_;
  std::unique_ptr<FolderLock> lock_;
  std::map<std::size_t, SweepRow> rows_;
  std::vector<std::size_t> pending_;
  std::set<std::size_t> retried_;
  std::unique_ptr<SweepStore> store_;
  std::FILE* csv_ = nullptr;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace qtrader
