// Accepts TCP connections and serves each: HTTP/1.1 requests (keep-alive,
// bodies up to ServeConfig::max_body_bytes) go to the ApiRouter, an upgrade
// to /ws becomes a WsClient. The access check (the token) comes first, for
// every request and for the WebSocket handshake alike.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "serve/api_router.hpp"
#include "serve/serve_config.hpp"
#include "serve/ws_broadcaster.hpp"

namespace qtrader::serve {

class HttpListener {
 public:
  // Binds and listens; throws boost::system::system_error when it cannot.
  HttpListener(boost::asio::io_context& io, const ServeConfig& config, ApiRouter& router,
               WsBroadcaster& broadcaster);
  unsigned short port() const;
  void start();

 private:
  void accept_next();

  boost::asio::io_context& io_;
  const ServeConfig& config_;
  ApiRouter& router_;
  WsBroadcaster& broadcaster_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

// Whether the request carries the token: "Authorization: Bearer TOKEN", or
// ?token=TOKEN (browsers cannot set headers on a WebSocket), or the cookie
// qtrader_token the server sets when a request had ?token=. Always true when
// `token` is empty.
bool has_token(const Request& request, const std::string& token);

}  // namespace qtrader::serve
