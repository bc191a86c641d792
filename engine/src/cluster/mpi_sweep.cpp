// run_mpi_sweep (mpi_sweep.hpp): the coordinator on rank 0 and the point
// runners on the other ranks, and the messages between them.
//
// Messages (all between rank 0 and one other rank; MPI keeps each pair's
// messages in order):
//   kAsk     r -> 0  empty        rank r wants one more point (workers + 1 at the start)
//   kRow     r -> 0  JSON         one point's outcome (a row, or its worker's death), and a kAsk
//   kPoint   0 -> r  uint64       run this point
//   kStop    0 -> r  empty|"now"  no more points: finish and say kBye ("now": rank 0 was
//                                 stopped by a signal; stop the workers too, as a local sweep does)
//   kFailed  r -> 0  text         the rank cannot run points (its market data failed to load)
//   kBye     r -> 0  empty        the rank's last message
//   kAlive   r -> 0  JSON [points] the rank lives; these points are on its workers (each second)
//   kSpec    0 -> r  JSON|empty   the next sweep's folder and span; empty: no more sweeps
// A rank that says nothing for SweepOptions::rank_timeout_seconds is taken
// for dead (a killed rank leaves the job running only under mpirun's
// `--mca orte_enable_recovery 1`; otherwise mpirun ends the job): the points
// on its workers count as a worker's death (run once more, then a failed
// row), the ones it held in reserve run elsewhere, and it is told nothing
// more — every message is point to point, so no collective waits for it.
// Neither side blocks in MPI while it waits: rank 0 probes and sleeps, a
// rank polls its workers' pipes between probes, so an oversubscribed node is
// not kept busy by spinning receives.
#include "cluster/mpi_sweep.hpp"

#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qtrader/walk_forward.hpp"
#include "sweep/sweep_session.hpp"
#include "sweep/worker_pool.hpp"

namespace qtrader {

namespace {

enum Tag : int { kAsk = 1, kRow, kPoint, kStop, kFailed, kBye, kAlive, kSpec };

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(fmt::format("MPI: {} failed ({})", what, rc));
}

void send(const std::string& bytes, int to, Tag tag) {
  check(MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD),
        "MPI_Send");
}

struct Message {
  int from = 0;
  int tag = 0;
  std::string bytes;
};

// The next message from `from` (MPI_ANY_SOURCE: anyone), if one has come.
bool receive(int from, Message& m) {
  int flag = 0;
  MPI_Status status;
  check(MPI_Iprobe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
  if (!flag) return false;
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  m.from = status.MPI_SOURCE;
  m.tag = status.MPI_TAG;
  m.bytes.assign(static_cast<std::size_t>(count), '\0');
  check(MPI_Recv(m.bytes.data(), count, MPI_CHAR, m.from, m.tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
        "MPI_Recv");
  return true;
}

// What rank 0 tells every rank before a sweep: its folder and span, or
// nothing (the sweep was refused, or there are no more sweeps).
struct SweepSpec {
  std::string dir;
  Timestamp start_date = 0, end_date = 0;
};

// Rank 0 tells each rank that is not `dead` (the end, "no more sweeps", goes
// to all: one taken for dead may only have been slow, and waits for it; a
// send to one that did die fails, and MPI_ERRORS_RETURN lets that pass);
// the others wait for it.
std::optional<SweepSpec> broadcast_spec(const std::optional<SweepSpec>& spec, const std::set<int>& dead) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  std::string bytes;
  if (rank == 0) {
    if (spec)
      bytes = nlohmann::json{{"dir", spec->dir}, {"start", spec->start_date}, {"end", spec->end_date}}.dump();
    for (int r = 1; r < ranks; ++r) {
      if (!spec) MPI_Send(bytes.data(), 0, MPI_CHAR, r, kSpec, MPI_COMM_WORLD);
      else if (!dead.count(r)) send(bytes, r, kSpec);
    }
  } else {
    // Probed and slept on, not a blocking receive: a rank that waits while
    // rank 0 runs a walk-forward's test spans takes no CPU from it.
    for (int flag = 0;;) {
      MPI_Status status;
      check(MPI_Iprobe(0, kSpec, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
      if (flag) {
        int count = 0;
        MPI_Get_count(&status, MPI_CHAR, &count);
        bytes.assign(static_cast<std::size_t>(count), '\0');
        check(MPI_Recv(bytes.data(), count, MPI_CHAR, 0, kSpec, MPI_COMM_WORLD, MPI_STATUS_IGNORE), "MPI_Recv");
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  if (bytes.empty()) return std::nullopt;
  const auto j = nlohmann::json::parse(bytes);
  return SweepSpec{j.at("dir").get<std::string>(), j.at("start").get<Timestamp>(), j.at("end").get<Timestamp>()};
}

std::string event_message(const WorkerPool::Event& e) {
  return nlohmann::json{{"point", e.point}, {"died", e.died}, {"line", e.line}, {"reason", e.reason},
                        {"signal", e.signal}}
      .dump();
}

WorkerPool::Event event_from_message(const std::string& bytes) {
  const auto j = nlohmann::json::parse(bytes);
  WorkerPool::Event e;
  e.point = j.at("point").get<std::size_t>();
  e.died = j.at("died").get<bool>();
  e.line = j.at("line").get<std::string>();
  e.reason = j.at("reason").get<std::string>();
  e.signal = j.at("signal").get<int>();
  return e;
}

// Rank 0. Returns whether the sweep was stopped by a signal (the ranks then
// stop without waiting for another sweep).
bool coordinate(SweepSession& session, int ranks, double rank_timeout_seconds, std::set<int>& dead) {
  using Clock = std::chrono::steady_clock;
  SweepSignals signals;
  session.start_recording();
  std::deque<std::size_t> queue(session.pending().begin(), session.pending().end());
  std::deque<int> asks;                          // one entry per point a rank asked for, in order
  std::map<int, std::set<std::size_t>> running;  // points handed to each rank
  std::set<int> gone;                            // ranks that said kBye
  std::set<int> unable;                          // ranks that said kFailed
  bool stopped = false, stop_sent = false, no_rank_left = false;
  auto stop_all = [&](const char* how) {
    for (int r = 1; r < ranks; ++r)
      if (!gone.count(r)) send(how, r, kStop);
    stop_sent = true;
  };
  // Silence: when each rank last said anything (none yet: its market data
  // may still be loading, so ten times as long is allowed for its first word).
  std::map<int, Clock::time_point> heard;
  std::set<int> spoke;
  std::map<int, std::set<std::size_t>> on_workers;  // each rank's last kAlive: the points it runs
  const auto silence = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(rank_timeout_seconds));
  const std::set<int> dead_before = dead;  // taken for dead in an earlier sweep of this job
  std::set<int> told_to_leave;
  for (int r = 1; r < ranks; ++r) {
    heard[r] = Clock::now();
    if (dead.count(r)) gone.insert(r);
  }
  // A rank silent for too long: its running points died with it, its
  // reserve goes back to the queue, and it counts as gone.
  auto bury_silent = [&] {
    if (rank_timeout_seconds <= 0) return;
    for (int r = 1; r < ranks; ++r) {
      if (gone.count(r) || Clock::now() - heard[r] < (spoke.count(r) ? silence : 10 * silence)) continue;
      fmt::print(stderr, "warning: MPI rank {} said nothing for {} s: taken for dead, its points run elsewhere\n", r,
                 std::chrono::duration<double>(Clock::now() - heard[r]).count());
      dead.insert(r);
      gone.insert(r);
      for (const std::size_t p : running[r]) {
        WorkerPool::Event e;
        e.point = p;
        e.died = true;
        e.reason = fmt::format("MPI rank {} died while running the point (no word for {} s)", r, rank_timeout_seconds);
        if (!on_workers[r].count(p) || session.record(e, stopped)) queue.push_front(p);
      }
      running.erase(r);
    }
  };
  // A stopped sweep waits this long for the ranks' goodbyes: a rank that was
  // killed (mpirun stops the whole job then) never answers.
  std::chrono::steady_clock::time_point give_up{};
  while (static_cast<int>(gone.size()) < ranks - 1) {
    if (SweepSignals::stop_requested() && !stopped) stopped = true;
    if (!stopped && static_cast<int>(unable.size() + gone.size()) >= ranks - 1 && !queue.empty()) {
      fmt::print(stderr, "error: no rank is left to run the sweep's points\n");
      stopped = no_rank_left = true;
    }
    if (stopped && !stop_sent) {
      stop_all("now");  // (when no rank is left, there is no one to tell)
      give_up = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
    if (stopped && std::chrono::steady_clock::now() > give_up) break;
    bury_silent();
    Message m;
    if (!receive(MPI_ANY_SOURCE, m)) {
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      continue;
    }
    heard[m.from] = Clock::now();
    spoke.insert(m.from);
    if (dead_before.count(m.from)) {
      // Taken for dead in an earlier sweep of this job (a walk-forward
      // window) and still in that one: let it leave it; it runs no more.
      if (told_to_leave.insert(m.from).second) send("", m.from, kStop);
      continue;
    }
    if (dead.count(m.from)) {
      // Only slow, after all: back in the sweep. What it ran meanwhile was
      // handed out again, so its rows for those points are dropped below.
      fmt::print(stderr, "warning: MPI rank {} spoke again: back in the sweep\n", m.from);
      dead.erase(m.from);
      gone.erase(m.from);
      if (stop_sent) send("", m.from, kStop);
    }
    switch (m.tag) {
      case kAlive:
        on_workers[m.from].clear();
        for (const auto& p : nlohmann::json::parse(m.bytes)) on_workers[m.from].insert(p.get<std::size_t>());
        break;
      case kAsk:
        asks.push_back(m.from);
        break;
      case kRow: {
        const WorkerPool::Event e = event_from_message(m.bytes);
        if (running[m.from].erase(e.point) && session.record(e, stopped)) queue.push_front(e.point);
        asks.push_back(m.from);
        break;
      }
      case kFailed:
        fmt::print(stderr, "error: MPI rank {} cannot run points: {}\n", m.from, m.bytes);
        unable.insert(m.from);
        break;
      case kBye:
        gone.insert(m.from);
        // Points sent to a rank that left before it saw them run elsewhere.
        for (const std::size_t p : running[m.from]) queue.push_front(p);
        running.erase(m.from);
        break;
    }
    while (!stopped && !asks.empty() && !queue.empty()) {
      const int r = asks.front();
      asks.pop_front();
      if (gone.count(r)) continue;
      const std::uint64_t point = queue.front();
      queue.pop_front();
      running[r].insert(point);
      send(std::string(reinterpret_cast<const char*>(&point), sizeof point), r, kPoint);
    }
    std::size_t in_flight = 0;
    for (const auto& [r, points] : running) in_flight += points.size();
    if (!stop_sent && queue.empty() && in_flight == 0) stop_all("");
  }
  return stopped && !no_rank_left;  // the ranks that remain wait for the next sweep, or none
}

// A rank other than 0: runs the points rank 0 sends on `jobs` forked workers
// until kStop, over the market data `engine` preloaded (`load_error`: why it
// could not). Returns whether it was stopped by a signal.
bool run_points(Engine& engine, const std::string& load_error, const SweepOptions& options,
                const std::string& dir, bool& left_behind) {
  SweepSignals signals;
  if (!load_error.empty()) {
    send(load_error, 0, kFailed);
    send({}, 0, kBye);
    return false;
  }
  const PointRunner runner(engine, options, dir);
  const std::size_t jobs = std::max<std::size_t>(1, options.jobs);
  bool stopping = false, interrupted = false;
  auto last_word = std::chrono::steady_clock::now();
  // Points received and not yet on a worker. One more than the workers is
  // asked for, so a worker that finishes starts its next point at once
  // instead of after a round trip to rank 0.
  std::deque<std::size_t> ready;
  {
    WorkerPool pool(jobs, [&](std::size_t point) { return runner.run(point); });
    for (std::size_t i = 0; i < jobs + 1; ++i) send({}, 0, kAsk);
    while (!stopping || pool.busy() > 0) {
      if (SweepSignals::stop_requested() && !interrupted) {
        interrupted = stopping = true;
        pool.stop();
      }
      Message m;
      while (receive(0, m)) {
        if (m.tag == kStop) {
          stopping = true;
          if (!m.bytes.empty() && !interrupted) {
            interrupted = true;
            pool.stop();
          }
        } else if (m.tag == kSpec) {
          // Taken for dead and the job ended without us: the end's "no
          // more sweeps" came instead of a stop. Leave at once.
          left_behind = stopping = interrupted = true;
          pool.stop();
        } else if (m.tag == kPoint) {
          std::uint64_t point = 0;
          std::memcpy(&point, m.bytes.data(), sizeof point);
          ready.push_back(static_cast<std::size_t>(point));
        }
      }
      // Points still here when the rank stops go back to rank 0 with its
      // goodbye (it runs them elsewhere, or on resume).
      while (!interrupted && !ready.empty() && pool.has_idle()) {
        pool.assign(ready.front());
        ready.pop_front();
      }
      // With every worker busy nothing here is urgent but their results
      // (poll returns at once for those): a rank that wakes every millisecond
      // takes CPU from its own workers on a full node.
      for (const auto& event : pool.wait(pool.has_idle() ? 1 : 20))
        if (!left_behind) send(event_message(event), 0, kRow);
      if (!left_behind && std::chrono::steady_clock::now() - last_word >= std::chrono::seconds(1)) {
        send(nlohmann::json(pool.points()).dump(), 0, kAlive);
        last_word = std::chrono::steady_clock::now();
      }
    }
  }
  if (!left_behind) send({}, 0, kBye);
  return interrupted && !left_behind;
}

constexpr int kFinalizeGraceSeconds = 10;

class MpiRuntime {
 public:
  MpiRuntime() {
    int ready = 0;
    MPI_Initialized(&ready);
    if (!ready) check(MPI_Init(nullptr, nullptr), "MPI_Init");
    // Errors come back as codes (check() throws on the ones that matter), so
    // a message to a rank that died is not the end of the job.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  // Not finalised when the sweep was stopped: a rank that was killed never
  // reaches MPI_Finalize, and the others would wait for it there.
  //
  // A rank that died during the sweep (mpirun's recovery on) can hold the
  // others in MPI_Finalize's opening fence for good: Open MPI 4.1 waits for
  // every rank of the job there. Everything is written by then, so after a
  // grace the rank leaves without it (status 0, which mpirun's recovery
  // accepts) rather than hanging the job.
  void finalize() {
    auto returned = std::make_shared<std::atomic<bool>>(false);
    std::thread([returned] {
      std::this_thread::sleep_for(std::chrono::seconds(kFinalizeGraceSeconds));
      if (*returned) return;  // the command goes on (walk-forward stitches its windows after this)
      fmt::print(stderr, "warning: MPI_Finalize still waits after {} s (a rank died during the sweep?): "
                         "leaving without it; every result is written\n", kFinalizeGraceSeconds);
      std::fflush(nullptr);
      std::_Exit(0);
    }).detach();
    MPI_Finalize();
    *returned = true;
  }
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

}  // namespace

bool started_under_mpi() {
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  return size && std::atoi(size) > 1;
}

namespace {

// Rank 0's side of one sweep: tells the ranks, hands out its points, records
// them. `released`: the ranks were told there is no sweep (it was refused).
SweepResult coordinate_sweep(const SweepOptions& options, int ranks, std::set<int>& dead, bool& interrupted,
                             bool& released) {
  Engine engine(sweep_engine_options(options));
  std::optional<SweepSession> session;
  try {
    session.emplace(engine, options);
  } catch (...) {
    broadcast_spec(std::nullopt, dead);
    released = true;
    throw;
  }
  broadcast_spec(SweepSpec{session->dir(), options.start_date, options.end_date}, dead);
  interrupted = coordinate(*session, ranks, options.rank_timeout_seconds, dead);
  return session->finish(interrupted);
}

// The other ranks' side: the market data once, then the points of every
// sweep rank 0 announces (a walk-forward has one per window) until it
// announces none.
bool serve_sweeps(const SweepOptions& options) {
  Engine engine(sweep_engine_options(options));
  std::string load_error;
  try {
    engine.preload(options.backtest);  // once; every worker of every sweep inherits it
  } catch (const std::exception& e) {
    load_error = e.what();
  }
  while (const auto spec = broadcast_spec(std::nullopt, {})) {
    SweepOptions sweep = options;
    sweep.start_date = spec->start_date;
    sweep.end_date = spec->end_date;
    bool left_behind = false;
    if (run_points(engine, load_error, sweep, spec->dir, left_behind)) return true;
    if (left_behind) return false;
  }
  return false;
}

}  // namespace

MpiSweepOutcome run_mpi_sweep(const SweepOptions& options) {
  MpiRuntime mpi;
  MpiSweepOutcome out;
  out.rank = mpi.rank();
  out.ranks = mpi.size();
  if (mpi.size() == 1) {
    out.result = run_sweep(options);
    out.interrupted = out.result.interrupted;
    mpi.finalize();
    return out;
  }
  if (mpi.rank() == 0) {
    bool released = false;
    std::set<int> dead;
    try {
      out.result = coordinate_sweep(options, mpi.size(), dead, out.interrupted, released);
    } catch (...) {
      if (!released) broadcast_spec(std::nullopt, dead);
      mpi.finalize();
      throw;
    }
    if (!out.interrupted) broadcast_spec(std::nullopt, dead);  // no more sweeps
  } else {
    out.interrupted = serve_sweeps(options);
  }
  if (!out.interrupted) mpi.finalize();
  return out;
}

MpiWalkForwardOutcome run_mpi_walk_forward(const WalkForwardOptions& options) {
  MpiRuntime mpi;
  MpiWalkForwardOutcome out;
  out.rank = mpi.rank();
  out.ranks = mpi.size();
  if (mpi.size() == 1) {
    out.result = run_walk_forward(options);
    mpi.finalize();
    return out;
  }
  if (mpi.rank() == 0) {
    WalkForwardOptions o = options;
    bool released = false;
    std::set<int> dead;  // for the whole job: a rank dead in one window is in none after it
    o.run_training_sweep = [&](const SweepOptions& sweep) {
      bool interrupted = false;
      SweepResult r = coordinate_sweep(sweep, mpi.size(), dead, interrupted, released);
      if (interrupted) throw std::runtime_error("walk-forward interrupted");
      return r;
    };
    try {
      out.result = run_walk_forward(o);
    } catch (...) {
      // The ranks wait for the next sweep: there is none. (A sweep that
      // was refused has told them already.)
      out.interrupted = SweepSignals::stop_requested();
      if (!out.interrupted) {
        if (!released) broadcast_spec(std::nullopt, dead);
        mpi.finalize();
      }
      throw;
    }
    broadcast_spec(std::nullopt, dead);
  } else {
    SweepOptions sweep;
    sweep.backtest = options.backtest;
    sweep.axes = options.axes;
    sweep.engine = options.engine;
    sweep.jobs = options.jobs;
    out.interrupted = serve_sweeps(sweep);
  }
  if (!out.interrupted) mpi.finalize();
  return out;
}

}  // namespace qtrader
