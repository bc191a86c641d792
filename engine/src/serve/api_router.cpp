#include "serve/api_router.hpp"

#include <exception>
#include <optional>

#include <boost/asio/post.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "qtrader/errors.hpp"
#include "serve/backtest_submission.hpp"
#include "serve/catalog.hpp"
#include "serve/script_roots_stamp.hpp"
#include "serve/session_files.hpp"
#include "serve/web_app.hpp"

namespace qtrader::serve {

namespace {

template <class T>
nlohmann::ordered_json or_null(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json session_json(const SessionRecord& r, bool with_backtest) {
  nlohmann::ordered_json j{{"session_id", r.session_id},
                           {"status", to_string(r.status)},
                           {"progress_pct", r.progress_pct},
                           {"current_timestamp", r.current_timestamp},
                           {"current_pnl", r.current_pnl},
                           {"equity", r.equity},
                           {"final_pnl", or_null(r.final_pnl)},
                           {"total_trades", or_null(r.total_trades)},
                           {"win_rate", or_null(r.win_rate)},
                           {"started_at", r.started_at},
                           {"completed_at", r.completed_at},
                           {"duration_seconds", or_null(r.duration_seconds)},
                           {"error_message", r.error_message},
                           {"acceleration_factor", r.acceleration_factor},
                           {"params", nlohmann::ordered_json::parse(r.params, nullptr, false)}};
  if (with_backtest) j["backtest"] = r.backtest;
  return j;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    parts.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  if (!parts.empty() && parts.back().empty()) parts.pop_back();  // a trailing slash
  return parts;
}

Response not_found(const std::string& what) { return json_error(http::status::not_found, what); }

Response method_not_allowed(const char* allowed) {
  Response res = json_error(http::status::method_not_allowed, std::string("method not allowed (use ") + allowed + ")");
  res.set(http::field::allow, allowed);
  return res;
}

}  // namespace

ApiRouter::ApiRouter(const ServeConfig& config, SessionStore& store, SessionService& sessions)
    : config_(config), store_(store), sessions_(sessions), uploads_(config) {}

const nlohmann::ordered_json& ApiRouter::scripts() {
  std::string stamp = script_roots_stamp(config_.script_paths);
  if (scripts_.is_null() || stamp != scripts_stamp_) {
    scripts_ = read_script_list(config_, config_.script_paths);
    strategies_ = public_catalog(scripts_);
    scripts_stamp_ = std::move(stamp);
  }
  return scripts_;
}

Response ApiRouter::handle(const Request& request) {
  const std::string path = decoded_path(std::string(request.target()));
  if (path.empty() || path[0] != '/')
    return json_error(http::status::bad_request, "malformed request path", "path");
  try {
    return route(request, path);
  } catch (const UploadRefusal& e) {
    return json_error(static_cast<http::status>(e.status), e.what(), e.field);
  } catch (const SubmissionError& e) {
    return json_error(http::status::bad_request, e.what(), e.field());
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", std::string(request.method_string()), path, e.what());
    return json_error(http::status::internal_server_error, "internal error (see the server's log)");
  }
}

Response ApiRouter::route(const Request& request, const std::string& path) {
  const auto parts = split_path(path);
  const bool get = request.method() == http::verb::get, post = request.method() == http::verb::post;
  // The web app's own files.
  if (parts.empty() || parts[0] != "api") {
    if (!get) return method_not_allowed("GET");
    if (auto page = web_app_file(path)) return *page;
    return not_found("no such page: " + path);
  }
  if (parts.size() == 2 && parts[1] == "strategies") {
    if (!get) return method_not_allowed("GET");
    scripts();
    return json_response(http::status::ok, strategies_);
  }
  if (parts.size() == 4 && parts[1] == "scripts") return upload(request, parts[2], parts[3]);
  if (parts.size() == 3 && parts[1] == "data" && parts[2] == "sources") {
    if (!get) return method_not_allowed("GET");
    if (data_sources_.empty()) data_sources_ = read_data_sources(config_);
    return json_response(http::status::ok, data_sources_);
  }
  if (parts.size() < 3 || parts[1] != "backtest") return not_found("no such route: " + path);
  if (parts.size() == 3 && parts[2] == "start") {
    if (!post) return method_not_allowed("POST");
    return start(request);
  }
  if (parts.size() == 3 && parts[2] == "active") {
    if (!get) return method_not_allowed("GET");
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& id : sessions_.active())
      if (auto r = store_.find(id)) out.push_back(session_json(*r, false));
    return json_response(http::status::ok, out.dump());
  }
  if (parts[2] != "sessions") return not_found("no such route: " + path);
  if (parts.size() == 3) {
    if (!get) return method_not_allowed("GET");
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& r : store_.list()) out.push_back(session_json(r, false));
    return json_response(http::status::ok, out.dump());
  }
  const std::string& id = parts[3];
  if (!is_session_id(id)) return not_found("no session '" + id + "'");
  if (parts.size() == 4) {
    if (!get) return method_not_allowed("GET");
    const auto r = store_.find(id);
    if (!r) return not_found("no session '" + id + "'");
    return json_response(http::status::ok, session_json(*r, true).dump());
  }
  if (parts.size() == 5) return session_part(id, parts[4], request);
  return not_found("no such route: " + path);
}

// PUT stores the body as the script (201 when new, 200 when it replaced an
// upload), DELETE removes it (204); docs/serve.md "Uploaded scripts".
Response ApiRouter::upload(const Request& request, const std::string& kind, const std::string& name) {
  if (request.method() == http::verb::delete_) {
    uploads_.check(kind, name, "-");  // off, or not a kind or a name: as a PUT would say
    if (!uploads_.remove(kind, name)) return not_found("no uploaded " + kind + " '" + name + "'");
    scripts_ = nullptr;
    Response res{http::status::no_content, request.version()};
    res.prepare_payload();
    return res;
  }
  if (request.method() != http::verb::put) return method_not_allowed("PUT, DELETE");
  return commit_upload(kind, name, request.body(), uploads_.describe(kind, name, request.body()));
}

Response ApiRouter::commit_upload(const std::string& kind, const std::string& name, const std::string& text,
                                  nlohmann::ordered_json entry) {
  const bool replaced = uploads_.exists(kind, name);
  entry = uploads_.commit(kind, name, text, std::move(entry), scripts());
  scripts_ = nullptr;  // sessions see the new script; so will the catalog
  return json_response(replaced ? http::status::ok : http::status::created, entry.dump());
}

bool ApiRouter::upload_async(const Request& request, const boost::asio::any_io_executor& io,
                             std::function<void(Response)> done) {
  if (request.method() != http::verb::put) return false;
  const auto parts = split_path(decoded_path(std::string(request.target())));
  if (parts.size() != 4 || parts[0] != "api" || parts[1] != "scripts") return false;
  // Every outcome is an answer: a refusal names its field, anything else is a 500 logged here.
  auto answer = [this, target = std::string(request.target())](const std::function<Response()>& step) {
    try {
      return step();
    } catch (const UploadRefusal& e) {
      return json_error(static_cast<http::status>(e.status), e.what(), e.field);
    } catch (const std::exception& e) {
      spdlog::error("PUT {}: {}", target, e.what());
      return json_error(http::status::internal_server_error, "internal error (see the server's log)");
    }
  };
  try {
    uploads_.check(parts[2], parts[3], request.body());
  } catch (const UploadRefusal& e) {
    done(json_error(static_cast<http::status>(e.status), e.what(), e.field));
    return true;
  }
  boost::asio::post(describer_, [this, io, answer, done = std::move(done), kind = parts[2], name = parts[3],
                                 text = request.body()]() mutable {
    std::optional<nlohmann::ordered_json> entry;
    Response refused = answer([&] {
      entry = uploads_.describe(kind, name, text);
      return Response{};
    });
    boost::asio::post(io, [this, answer, done = std::move(done), kind = std::move(kind), name = std::move(name),
                           text = std::move(text), entry = std::move(entry), refused = std::move(refused)]() mutable {
      if (!entry) return done(std::move(refused));
      done(answer([&] { return commit_upload(kind, name, text, std::move(*entry)); }));
    });
  });
  return true;
}

Response ApiRouter::start(const Request& request) {
  const auto submission = read_submission(request.body(), std::string(request[http::field::content_type]),
                                          std::string(request.target()), config_);
  const SessionRecord record = sessions_.start(submission);
  return json_response(http::status::ok,
                       nlohmann::ordered_json{{"session_id", record.session_id}, {"status", "started"}}.dump());
}

Response ApiRouter::session_part(const std::string& id, const std::string& part, const Request& request) {
  const auto record = store_.find(id);
  if (!record) return not_found("no session '" + id + "'");
  if (part == "stop") {
    if (request.method() != http::verb::post) return method_not_allowed("POST");
    const auto result = sessions_.stop(id);
    if (result == SessionService::StopResult::Finished)
      return json_error(http::status::conflict, "session " + id + " has already ended (" +
                                                    to_string(record->status) + ")", "session_id");
    return json_response(http::status::ok,
                         nlohmann::ordered_json{{"session_id", id}, {"status", "stopping"}}.dump());
  }
  if (request.method() != http::verb::get) return method_not_allowed("GET");
  const char* file = part == "trades" ? "trades.csv"
                     : part == "equity" ? "equity.csv"
                     : part == "metrics" ? "metrics.json"
                     : part == "report"  ? "report.html"
                                         : nullptr;
  if (!file) return not_found("no such route: " + part);
  const auto text = read_session_file(config_.results_dir, record->results_dir, file);
  if (!text) return not_found(std::string("session ") + id + " has no " + file + " (yet)");
  if (part == "metrics") return json_response(http::status::ok, *text);
  if (part == "report") {
    Response res{http::status::ok, 11};
    res.set(http::field::content_type, "text/html; charset=utf-8");
    res.body() = *text;
    res.prepare_payload();
    return res;
  }
  return json_response(http::status::ok, csv_to_json(*text));
}

}  // namespace qtrader::serve
