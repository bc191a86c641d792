// The HTTP API: one request in, one response out (docs/serve.md lists the
// routes). Input errors are 400s naming the field, unknown ids and routes
// 404s; an unexpected failure is a 500 that names no internals.
#pragma once

#include <string>

#include "serve/http_types.hpp"
#include "serve/serve_config.hpp"
#include "serve/session_service.hpp"
#include "serve/session_store.hpp"

namespace qtrader::serve {

class ApiRouter {
 public:
  ApiRouter(const ServeConfig& config, SessionStore& store, SessionService& sessions);
  Response handle(const Request& request);

 private:
  Response route(const Request& request, const std::string& path);
  Response start(const Request& request);
  Response session_part(const std::string& id, const std::string& part, const Request& request);

  const ServeConfig& config_;
  SessionStore& store_;
  SessionService& sessions_;
  std::string strategies_, data_sources_;  // read once, lazily
};

}  // namespace qtrader::serve
