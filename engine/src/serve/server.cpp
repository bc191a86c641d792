#include "serve/server.hpp"

#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "serve/api_router.hpp"
#include "serve/http_listener.hpp"
#include "serve/session_service.hpp"
#include "serve/session_store.hpp"
#include "serve/ws_broadcaster.hpp"

namespace qtrader::serve {

int run_server(const ServeConfig& config, const std::function<void(unsigned short)>& on_listening) {
  // A client that goes away mid-write is an error code, not a signal.
  signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context io;
  SessionStore store(config.results_dir);
  WsBroadcaster broadcaster;
  SessionService sessions(io, config, store, broadcaster);
  ApiRouter router(config, store, sessions);
  HttpListener listener(io, config, router, broadcaster);
  boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&](boost::system::error_code, int sig) {
    spdlog::info("signal {}: stopping", sig);
    sessions.kill_all();
    io.stop();
  });
  listener.start();
  sessions.resume_queued();
  on_listening(listener.port());
  io.run();
  return 0;
}

}  // namespace qtrader::serve
