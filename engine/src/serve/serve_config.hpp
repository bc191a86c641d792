// What `qtrader serve` was started with (apps/qtrader/serve_command.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace qtrader::serve {

struct ServeConfig {
  std::string host = "127.0.0.1";
  unsigned short port = 8700;  // 0: any free port (the one chosen is printed)
  std::string results_dir = "results";  // sessions.sqlite and sessions/<id>/
  std::size_t max_running = 2;          // sessions running at once; the rest wait as `started`
  std::string token;                    // required on every request when not empty
  std::string system_config;            // config/system.yaml every session runs with (absolute)
  std::vector<std::string> script_paths;  // the script roots submitted backtests may use (absolute)
  std::string backtests_dir;            // saved backtests, started by name (absolute; empty: none)
  std::string executable;               // the qtrader binary each session runs in
  std::size_t max_body_bytes = 1 << 20;  // a request body above this is refused (413)
  std::string upload_dir;  // --allow-upload: where uploaded scripts go (absolute; empty: no uploads)
};

}  // namespace qtrader::serve
