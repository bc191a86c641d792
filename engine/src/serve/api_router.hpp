// The HTTP API: one request in, one response out (docs/serve.md lists the
// routes). Input errors are 400s naming the field, unknown ids and routes
// 404s; an unexpected failure is a 500 that names no internals.
#pragma once

#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>

#include "serve/http_types.hpp"
#include "serve/script_uploads.hpp"
#include "serve/serve_config.hpp"
#include "serve/session_service.hpp"
#include "serve/session_store.hpp"

namespace qtrader::serve {

class ApiRouter {
 public:
  ApiRouter(const ServeConfig& config, SessionStore& store, SessionService& sessions);
  Response handle(const Request& request);

  // An upload (PUT /api/scripts/KIND/NAME) is described in a child process
  // that may take the sandbox's init budget: on a thread of the router's,
  // so the server serves everyone else meanwhile; `done` then runs on `io`.
  // False, and nothing done, when the request is not an upload.
  bool upload_async(const Request& request, const boost::asio::any_io_executor& io,
                    std::function<void(Response)> done);

 private:
  Response route(const Request& request, const std::string& path);
  Response start(const Request& request);
  Response session_part(const std::string& id, const std::string& part, const Request& request);
  Response upload(const Request& request, const std::string& kind, const std::string& name);
  Response commit_upload(const std::string& kind, const std::string& name, const std::string& text,
                         nlohmann::ordered_json entry);
  // The script list: read when first needed, after an upload, and again when
  // a file under a script root changed since (a script edited while serving).
  const nlohmann::ordered_json& scripts();


  const ServeConfig& config_;
  SessionStore& store_;
  SessionService& sessions_;
  ScriptUploads uploads_;
  boost::asio::thread_pool describer_{1};  // joined before uploads_ and the rest go
  nlohmann::ordered_json scripts_;  // read_script_list's; null until read
  std::string scripts_stamp_;       // script_roots_stamp when scripts_ was read
  std::string strategies_, data_sources_;  // read once, lazily (strategies_ again after an upload)
};

}  // namespace qtrader::serve
