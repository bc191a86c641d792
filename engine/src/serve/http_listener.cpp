#include "serve/http_listener.hpp"

#include <chrono>
#include <optional>

#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace qtrader::serve {

namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr std::size_t kMaxHeaderBytes = std::size_t{16} * 1024;

// Compares in time independent of where the texts differ.
bool same_secret(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(tcp::socket&& socket, const ServeConfig& config, ApiRouter& router, WsBroadcaster& broadcaster)
      : stream_(std::move(socket)), config_(config), router_(router), broadcaster_(broadcaster) {}

  void read_next() {
    parser_.emplace();
    parser_->body_limit(config_.max_body_bytes);
    parser_->header_limit(kMaxHeaderBytes);
    stream_.expires_after(kIdleTimeout);
    auto self = shared_from_this();
    beast::http::async_read(stream_, buffer_, *parser_, [self](beast::error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == beast::http::error::body_limit) {
      respond(json_error(http::status::payload_too_large,
                         "request body over " + std::to_string(config_.max_body_bytes) + " bytes", "body"),
              false);
      return;
    }
    if (ec == beast::http::error::header_limit) {
      respond(json_error(http::status::request_header_fields_too_large, "request header too large"), false);
      return;
    }
    if (ec) return;  // closed, timed out or not HTTP: nothing to answer
    Request request = parser_->release();
    if (!has_token(request, config_.token)) {
      Response res = json_error(http::status::unauthorized, "missing or wrong token", "token");
      res.set(http::field::www_authenticate, "Bearer");
      respond(std::move(res), request.keep_alive());
      return;
    }
    if (beast::websocket::is_upgrade(request)) {
      if (decoded_path(std::string(request.target())) != "/ws") {
        respond(json_error(http::status::not_found, "WebSocket only at /ws"), false);
        return;
      }
      std::string filter = query_value(std::string(request.target()), "session_id");
      auto client = std::make_shared<WsClient>(std::move(stream_), broadcaster_, std::move(filter));
      client->accept(request);
      return;
    }
    const bool keep_alive = request.keep_alive();
    const bool set_cookie = !config_.token.empty() && !query_value(std::string(request.target()), "token").empty();
    auto answer = [self = shared_from_this(), keep_alive, set_cookie](Response res) {
      if (set_cookie)
        res.set(http::field::set_cookie, "qtrader_token=" + self->config_.token + "; Path=/; HttpOnly; SameSite=Strict");
      self->respond(std::move(res), keep_alive);
    };
    if (router_.upload_async(request, stream_.get_executor(), answer)) return;
    answer(router_.handle(request));
  }

  void respond(Response res, bool keep_alive) {
    res.keep_alive(keep_alive);
    res.set(http::field::server, "qtrader");
    auto shared = std::make_shared<Response>(std::move(res));
    auto self = shared_from_this();
    stream_.expires_after(kIdleTimeout);  // an upload's answer may come seconds after the request
    beast::http::async_write(stream_, *shared, [self, shared](beast::error_code ec, std::size_t) {
      if (ec || !shared->keep_alive()) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        return;
      }
      self->read_next();
    });
  }

  beast::tcp_stream stream_;
  const ServeConfig& config_;
  ApiRouter& router_;
  WsBroadcaster& broadcaster_;
  beast::flat_buffer buffer_;
  std::optional<beast::http::request_parser<beast::http::string_body>> parser_;
};

// The web app's page, opened as /?token=TOKEN, gets it as a cookie, which the
// browser then sends with the page's scripts, API calls and WebSocket.
std::string cookie_token(const Request& request) {
  const std::string cookies(request[http::field::cookie]);
  constexpr std::string_view kName = "qtrader_token=";
  for (std::size_t at = cookies.find(kName); at != std::string::npos; at = cookies.find(kName, at + 1)) {
    if (at != 0 && cookies[at - 1] != ' ' && cookies[at - 1] != ';') continue;
    const std::size_t start = at + kName.size();
    return cookies.substr(start, cookies.find(';', start) - start);
  }
  return {};
}

}  // namespace

bool has_token(const Request& request, const std::string& token) {
  if (token.empty()) return true;
  const std::string auth(request[http::field::authorization]);
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() > kBearer.size() && auth.compare(0, kBearer.size(), kBearer) == 0)
    return same_secret(auth.substr(kBearer.size()), token);
  const std::string query = query_value(std::string(request.target()), "token");
  if (!query.empty()) return same_secret(query, token);
  return same_secret(cookie_token(request), token);
}

HttpListener::HttpListener(asio::io_context& io, const ServeConfig& config, ApiRouter& router,
                           WsBroadcaster& broadcaster)
    : io_(io), config_(config), router_(router), broadcaster_(broadcaster), acceptor_(io) {
  const tcp::endpoint endpoint(asio::ip::make_address(config.host), config.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

unsigned short HttpListener::port() const { return acceptor_.local_endpoint().port(); }

void HttpListener::start() { accept_next(); }

void HttpListener::accept_next() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<HttpConnection>(std::move(socket), config_, router_, broadcaster_)->read_next();
    if (ec != asio::error::operation_aborted) accept_next();
  });
}

}  // namespace qtrader::serve
