#include "serve/ws_broadcaster.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace qtrader::serve {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

namespace {
// Clients only send control frames and small requests; a bigger message closes them.
constexpr std::size_t kMaxIncomingMessage = 4096;
// A client that has not taken this many messages is too slow to follow: it is dropped,
// so one stalled browser cannot grow the server's memory.
constexpr std::size_t kMaxQueuedMessages = 1024;
}  // namespace

WsClient::WsClient(beast::tcp_stream&& stream, WsBroadcaster& broadcaster, std::string session_filter)
    : ws_(std::move(stream)), broadcaster_(broadcaster), filter_(std::move(session_filter)) {
  ws_.read_message_max(kMaxIncomingMessage);
}

void WsClient::accept(const Request& upgrade) {
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  auto self = shared_from_this();
  ws_.async_accept(upgrade, [self](beast::error_code ec) {
    if (ec) return;
    self->broadcaster_.join(self);
    self->read_next();
    self->write_next();
  });
}

void WsClient::read_next() {
  auto self = shared_from_this();
  ws_.async_read(in_, [self](beast::error_code ec, std::size_t) {
    if (ec) {
      self->close();
      return;
    }
    self->in_.consume(self->in_.size());  // what a client says is not listened to
    self->read_next();
  });
}

void WsClient::send(std::shared_ptr<const std::string> text) {
  if (closed_) return;
  if (queue_.size() >= kMaxQueuedMessages) {
    close();
    beast::get_lowest_layer(ws_).close();
    return;
  }
  queue_.push_back(std::move(text));
  if (!writing_) write_next();
}

void WsClient::write_next() {
  if (writing_ || queue_.empty() || closed_) return;
  writing_ = true;
  ws_.text(true);
  auto self = shared_from_this();
  ws_.async_write(boost::asio::buffer(*queue_.front()), [self](beast::error_code ec, std::size_t) {
    self->writing_ = false;
    if (ec) {
      self->close();
      return;
    }
    self->queue_.pop_front();
    self->write_next();
  });
}

void WsClient::close() {
  if (closed_) return;
  closed_ = true;  // the queue goes with the client: a write may still read its front
  broadcaster_.leave(shared_from_this());
}

void WsBroadcaster::publish(const std::string& session_id, const std::string& text) {
  auto message = std::make_shared<const std::string>(text);
  // A copy: send() may drop a slow client from the set.
  const auto clients = clients_;
  for (const auto& c : clients)
    if (c->follows(session_id)) c->send(message);
}

}  // namespace qtrader::serve
