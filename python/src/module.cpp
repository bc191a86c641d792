// _qtrader: the C++ half of the `qtrader` Python package (python/qtrader/).
// It binds the embedding API (qtrader/engine.hpp, qtrader/sweep.hpp) thinly:
// runs return their results folder and the package reads the same files the
// command writes, so a notebook and `qtrader run` see identical numbers.
// The GIL is released while the engine works; Ctrl-C stops a run between two
// timestamps (RunOptions::stop) and raises KeyboardInterrupt.
#include <atomic>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "error_translation.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/script_catalog.hpp"
#include "qtrader/sweep.hpp"
#include "qtrader/version.hpp"

namespace py = pybind11;

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

qtrader::EngineOptions engine_options(const std::string& root, const std::string& system, bool cache,
                                      const std::string& data_dir) {
  qtrader::EngineOptions o;
  o.root = root;
  o.system_config = system;
  o.cache_market_data = cache;
  o.data_dir = data_dir;
  return o;
}

// Watches for Ctrl-C and forwards progress while the GIL is released: the
// engine calls on_progress on the calling thread about every 250 ms, which is
// where Python's signal handlers get their chance to run.
class ProgressBridge {
 public:
  explicit ProgressBridge(py::object callback) : callback_(std::move(callback)) {}

  void operator()(const qtrader::RunProgress& p) {
    py::gil_scoped_acquire gil;
    if (error_) return;
    if (PyErr_CheckSignals() != 0) return keep_error();
    if (callback_.is_none()) return;
    try {
      callback_(py::dict(py::arg("percent") = p.percent, py::arg("sim_date") = p.sim_date,
                         py::arg("bars") = p.bars, py::arg("seconds") = p.seconds, py::arg("done") = p.done));
    } catch (py::error_already_set& e) {
      error_ = std::move(e);
      stop_ = true;
    }
  }

  const std::atomic<bool>* stop() const { return &stop_; }

  // Re-raises what the callback or a signal handler raised, if anything.
  void rethrow_pending() {
    if (!error_) return;
    py::gil_scoped_acquire gil;
    error_->restore();
    error_.reset();
    throw py::error_already_set();
  }

 private:
  void keep_error() {
    error_ = py::error_already_set();  // takes (and clears) the pending Python error
    stop_ = true;
  }

  py::object callback_;
  std::atomic<bool> stop_{false};
  std::optional<py::error_already_set> error_;
};

}  // namespace

PYBIND11_MODULE(_qtrader, m) {
  m.doc() = "qtrader's engine (use the `qtrader` package, not this module)";
  qtrader::python::register_error_translation();
  m.attr("__version__") = std::string(qtrader::version());
  m.attr("commit") = std::string(qtrader::git_commit());

  py::class_<qtrader::Engine>(m, "Engine")
      .def(py::init([](const std::string& root, const std::string& system, bool cache, const std::string& data_dir) {
             return qtrader::Engine(engine_options(root, system, cache, data_dir));
           }),
           py::arg("root") = "", py::arg("system") = "", py::arg("cache_market_data") = false,
           py::arg("data_dir") = "")
      .def_property_readonly("root", &qtrader::Engine::root)
      .def(
          "run",
          [](qtrader::Engine& engine, const std::string& backtest, const Params& params, const std::string& output_dir,
             const std::string& results_dir, bool report, bool quiet, bool memory_event_store, py::object progress) {
            qtrader::RunOptions o;
            o.output_dir = output_dir;
            o.results_dir = results_dir;
            for (const auto& [name, value] : params) o.params.push_back({name, value});
            o.report = report;
            o.quiet = quiet;
            o.memory_event_store = memory_event_store;
            o.color = qtrader::LogColor::Never;
            ProgressBridge bridge(std::move(progress));
            o.on_progress = [&bridge](const qtrader::RunProgress& p) { bridge(p); };
            o.stop = bridge.stop();
            std::string dir;
            try {
              py::gil_scoped_release release;
              dir = engine.run(backtest, o).results_dir;
            } catch (const qtrader::RunInterrupted&) {
              bridge.rethrow_pending();  // the KeyboardInterrupt or the callback's own error
              throw;
            }
            return dir;
          },
          py::arg("backtest"), py::arg("params") = Params{}, py::arg("output_dir") = "", py::arg("results_dir") = "",
          py::arg("report") = true, py::arg("quiet") = true, py::arg("memory_event_store") = false,
          py::arg("progress") = py::none());

  m.def(
      "sweep",
      [](const std::string& backtest, const std::vector<std::string>& axes, std::size_t jobs,
         const std::string& output_dir, const std::string& metric, const std::string& root, const std::string& system,
         std::size_t random, std::uint64_t seed, const std::string& shard) {
        qtrader::SweepOptions o;
        o.backtest = backtest;
        for (const auto& flag : axes) o.axes.push_back(qtrader::parse_sweep_axis(flag));
        o.engine = engine_options(root, system, true, "");
        o.output_dir = output_dir;
        o.jobs = jobs;
        o.metric = metric;
        o.selection.random = random;
        o.selection.seed = seed;
        if (!shard.empty()) o.selection = qtrader::parse_shard(shard, o.selection);
        qtrader::SweepResult r;
        {
          py::gil_scoped_release release;  // workers are forked processes; none touches Python
          r = qtrader::run_sweep(o);
        }
        return py::dict(py::arg("dir") = r.dir, py::arg("csv") = r.csv, py::arg("interrupted") = r.interrupted,
                        py::arg("total") = r.progress.total, py::arg("done") = r.progress.done,
                        py::arg("skipped") = r.progress.skipped, py::arg("failed") = r.progress.failed);
      },
      py::arg("backtest"), py::arg("axes"), py::arg("jobs") = 1, py::arg("output_dir") = "",
      py::arg("metric") = "sharpe", py::arg("root") = "", py::arg("system") = "", py::arg("random") = 0,
      py::arg("seed") = 1, py::arg("shard") = "");

  m.def(
      "script_catalog_json",
      [](const std::vector<std::string>& script_paths, const std::string& root) {
        const qtrader::Engine engine(engine_options(root, "", false, ""));
        return qtrader::script_catalog(engine, script_paths).json;
      },
      py::arg("script_paths") = std::vector<std::string>{}, py::arg("root") = "");
}
