// `qtrader serve`: the HTTP + WebSocket server, on one thread, until SIGINT
// or SIGTERM. Sessions run in child processes (session_process.hpp).
#pragma once

#include <functional>

#include "serve/serve_config.hpp"

namespace qtrader::serve {

// Returns the exit status. `on_listening` gets the bound port (the one chosen when config.port is 0).
int run_server(const ServeConfig& config, const std::function<void(unsigned short)>& on_listening);

}  // namespace qtrader::serve
