// qtrader serve: backtests as a service (docs/serve.md). And its hidden
// worker, `qtrader __serve-session`, the process each session runs in: it
// runs one backtest and reports on fd 3, one JSON object per line.
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/results.hpp"
#include "serve/script_uploads.hpp"
#include "serve/server.hpp"

namespace fs = std::filesystem;

namespace {

// ---- the worker ------------------------------------------------------------------

// SIGTERM (the server's stop) ends the run between two timestamps, as
// `qtrader run`'s handler does, its results kept; SIGALRM 5 s later ends a
// run that reaches no boundary by then.
std::atomic<bool> g_stop{false};
extern "C" void on_session_stop_signal(int sig) {
  g_stop.store(true);
  std::signal(sig, SIG_DFL);
  alarm(5);
}

class ReportPipe {
 public:
  explicit ReportPipe(int fd) : out_(fdopen(fd, "w")) {}
  ~ReportPipe() {
    if (out_) std::fclose(out_);
  }
  void send(const nlohmann::json& message) {
    if (!out_) return;
    // A huge script message stays under the server's line limit.
    std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (line.size() > std::size_t{512} * 1024) line = nlohmann::json{{"event", message.value("event", "failed")},
                                                        {"error", "the message was too long"}}.dump();
    std::fputs(line.c_str(), out_);
    std::fputc('\n', out_);
    std::fflush(out_);
  }

 private:
  FILE* out_;
};

std::string failure_text(const std::exception& e) {
  if (const auto* s = dynamic_cast<const qtrader::ScriptError*>(&e); s && !s->traceback().empty())
    return std::string(e.what()) + "\n" + s->traceback();
  return e.what();
}

int serve_session(const std::string& backtest, const std::string& results_dir, const std::string& system,
                  const std::vector<std::string>& params, double acceleration) {
  ReportPipe pipe(3);
  try {
    qtrader::EngineOptions engine_options;
    engine_options.system_config = system;
    qtrader::Engine engine(engine_options);
    qtrader::RunOptions options;
    options.results_dir = results_dir;
    options.quiet = true;
    options.color = qtrader::LogColor::Never;
    options.stop = &g_stop;
    options.acceleration_factor = acceleration;
    for (const auto& p : params) {
      const auto eq = p.find('=');
      options.params.push_back({p.substr(0, eq), eq == std::string::npos ? "" : p.substr(eq + 1)});
    }
    options.on_progress = [&pipe](const qtrader::RunProgress& p) {
      if (p.done) return;
      pipe.send({{"event", "progress"},
                 {"progress_pct", p.percent},
                 {"current_timestamp", p.sim_time},
                 {"current_pnl", p.pnl},
                 {"open_positions", p.open_positions},
                 {"equity", p.equity}});
    };
    std::signal(SIGTERM, on_session_stop_signal);
    std::signal(SIGINT, on_session_stop_signal);
    const auto result = engine.run(backtest, options);
    const auto& s = result.summary;
    nlohmann::json done{{"event", "completed"},
                        {"final_pnl", s.final_equity - s.initial_equity},
                        {"total_trades", s.trades},
                        {"final_equity", s.final_equity},
                        {"last_timestamp", s.last_bar},
                        {"win_rate", nullptr}};
    try {
      const double rate = qtrader::compute_metrics(result.results_dir).trades.win_rate;
      if (std::isfinite(rate)) done["win_rate"] = rate;
    } catch (const std::exception&) {
      // No closed trade, no rate.
    }
    pipe.send(done);
    return 0;
  } catch (const qtrader::RunInterrupted& e) {
    pipe.send({{"event", "stopped"}, {"error", e.what()}});
    return 0;
  } catch (const std::exception& e) {
    pipe.send({{"event", "failed"}, {"error", failure_text(e)}});
    return 1;
  }
}

// ---- the server ------------------------------------------------------------------

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

std::string read_token_file(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  return token;
}

}  // namespace

namespace qtrader::cli {

void add_serve_command(CLI::App& app, int& exit_code) {
  struct Args {
    qtrader::serve::ServeConfig config;
    std::string token_file;
    std::vector<std::string> script_paths;
  };
  auto args = std::make_shared<Args>();
  auto* serve = app.add_subcommand("serve", "Serve backtests over HTTP and WebSocket, with a web app at / (docs/serve.md)");
  serve->add_option("--host", args->config.host, "Address to listen on (default 127.0.0.1; any other needs a token)");
  serve->add_option("--port", args->config.port, "Port to listen on (default 8700; 0: any free port)");
  serve->add_option("--results", args->config.results_dir,
                    "Folder of sessions.sqlite and each session's results (default results)");
  serve->add_option("--max-running", args->config.max_running, "Sessions running at once; the rest wait (default 2)")
      ->check(CLI::Range(1, 64));
  serve->add_option("--token", args->config.token, "Token every request must carry (Authorization: Bearer TOKEN)");
  serve->add_option("--token-file", args->token_file, "File whose first line is the token")->check(CLI::ExistingFile);
  serve->add_option("--system", args->config.system_config,
                    "System configuration every session runs with (default: config/system.yaml of the qtrader tree)")
      ->check(CLI::ExistingFile);
  serve->add_option("--script-path", args->script_paths,
                    "A folder of scripts submitted backtests may use (repeatable)")
      ->check(CLI::ExistingDirectory);
  serve->add_option("--backtests", args->config.backtests_dir, "Folder of saved backtests, started by name")
      ->check(CLI::ExistingDirectory);
  serve->add_option("--allow-upload", args->config.upload_dir,
                    "Let clients upload scripts (PUT /api/scripts/...) into this folder; sandboxed as any script");
  serve->add_option("--max-body", args->config.max_body_bytes, "Largest request body in bytes (default 1048576)")
      ->check(CLI::Range(1024, 64 * 1024 * 1024));
  serve->callback([args, &exit_code] {
    auto config = args->config;
    if (!args->token_file.empty()) config.token = read_token_file(args->token_file);
    if (!is_loopback(config.host) && config.token.empty()) {
      fmt::print(stderr, "error: --host {}: serving beyond this machine needs --token or --token-file\n", config.host);
      exit_code = 2;
      return;
    }
    try {
      config.executable = fs::read_symlink("/proc/self/exe").string();
      if (config.system_config.empty()) config.system_config = qtrader::Engine().system_config_path();
      config.system_config = fs::absolute(config.system_config).string();
      config.results_dir = fs::absolute(config.results_dir).lexically_normal().string();
      if (!config.backtests_dir.empty()) config.backtests_dir = fs::absolute(config.backtests_dir).string();
      for (const auto& p : args->script_paths) config.script_paths.push_back(fs::absolute(p).lexically_normal().string());
      if (!config.upload_dir.empty()) config.upload_dir = fs::absolute(config.upload_dir).lexically_normal().string();
      qtrader::serve::prepare_upload_dir(config);
      exit_code = qtrader::serve::run_server(config, [&config](unsigned short port) {
        fmt::print("qtrader serve: listening on http://{}:{}/\n", config.host, port);
        std::fflush(stdout);
      });
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 1;
    }
  });

  struct WorkerArgs {
    std::string backtest, results_dir, system;
    std::vector<std::string> params;
    double acceleration = 0;
  };
  auto worker = std::make_shared<WorkerArgs>();
  auto* session = app.add_subcommand("__serve-session", "Run one session of `qtrader serve`");
  session->group("");  // hidden: only the server starts it
  session->add_option("backtest", worker->backtest)->required();
  session->add_option("--results-dir", worker->results_dir)->required();
  session->add_option("--system", worker->system);
  session->add_option("--param", worker->params);
  session->add_option("--acceleration", worker->acceleration);
  session->callback([worker, &exit_code] {
    exit_code = serve_session(worker->backtest, worker->results_dir, worker->system, worker->params,
                              worker->acceleration);
  });
}

}  // namespace qtrader::cli
