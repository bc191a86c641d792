// The WebSocket side of the server: each /ws client, and the broadcaster
// that hands every session message (worker_protocol.hpp's shapes) to the
// clients that follow that session (all of them, unless a client asked for
// one session with /ws?session_id=...).
#pragma once

#include <deque>
#include <memory>
#include <set>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "serve/http_types.hpp"

namespace qtrader::serve {

class WsBroadcaster;

class WsClient : public std::enable_shared_from_this<WsClient> {
 public:
  WsClient(boost::beast::tcp_stream&& stream, WsBroadcaster& broadcaster, std::string session_filter);
  // Completes the handshake of `upgrade`, then joins the broadcaster.
  void accept(const Request& upgrade);
  void send(std::shared_ptr<const std::string> text);
  bool follows(const std::string& session_id) const {
    return filter_.empty() || filter_ == session_id;
  }

 private:
  void read_next();
  void write_next();
  void close();

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  WsBroadcaster& broadcaster_;
  std::string filter_;
  boost::beast::flat_buffer in_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool writing_ = false, closed_ = false;
};

class WsBroadcaster {
 public:
  void join(const std::shared_ptr<WsClient>& client) { clients_.insert(client); }
  void leave(const std::shared_ptr<WsClient>& client) { clients_.erase(client); }
  void publish(const std::string& session_id, const std::string& text);
  std::size_t clients() const noexcept { return clients_.size(); }

 private:
  std::set<std::shared_ptr<WsClient>> clients_;
};

}  // namespace qtrader::serve
