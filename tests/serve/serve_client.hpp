// HTTP and WebSocket clients for the server tests, on Boost.Beast like the
// server. Every operation has a deadline, so a broken server fails a test
// instead of hanging it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace qtrader::test {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace bws = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

struct HttpReply {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string set_cookie;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

inline HttpReply http_call(unsigned short port, bhttp::verb method, const std::string& target,
                           const std::string& body = {}, const std::string& content_type = "application/json",
                           const std::map<std::string, std::string>& headers = {}) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(20));
  bhttp::request<bhttp::string_body> req{method, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty() || method == bhttp::verb::post) {
    req.set(bhttp::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
  }
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  beast::error_code failure;
  stream.async_connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
    if (ec) { failure = ec; return; }
    bhttp::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
      // A server that refuses a body early may close before all of it is sent: read its answer anyway.
      if (ec && ec != boost::asio::error::broken_pipe && ec != boost::asio::error::connection_reset) {
        failure = ec;
        return;
      }
      bhttp::async_read(stream, buffer, res, [&](beast::error_code ec, std::size_t) { failure = ec; });
    });
  });
  io.run();
  if (failure) throw std::runtime_error("HTTP " + target + ": " + failure.message());
  return HttpReply{static_cast<int>(res.result_int()), res.body(), std::string(res[bhttp::field::content_type]),
                   std::string(res[bhttp::field::set_cookie])};
}

inline HttpReply http_get(unsigned short port, const std::string& target,
                          const std::map<std::string, std::string>& headers = {}) {
  return http_call(port, bhttp::verb::get, target, {}, "application/json", headers);
}

inline HttpReply http_post(unsigned short port, const std::string& target, const std::string& body,
                           const std::string& content_type = "application/json",
                           const std::map<std::string, std::string>& headers = {}) {
  return http_call(port, bhttp::verb::post, target, body, content_type, headers);
}

class WsTestClient {
 public:
  // Throws beast::system_error when the handshake is refused.
  explicit WsTestClient(unsigned short port, const std::string& target = "/ws") : ws_(io_) {
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    ws_.handshake("127.0.0.1", target);
    beast::get_lowest_layer(ws_).expires_never();
  }

  // The next message, or nullopt after `timeout` (the read stays pending for the next call).
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout) {
    if (!pending_ && !closed_) {
      pending_ = true;
      ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
        pending_ = false;
        if (ec) {
          closed_ = true;
          return;
        }
        got_ = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
      });
    }
    io_.restart();
    io_.run_for(timeout);
    if (!got_) return std::nullopt;
    auto text = std::move(*got_);
    got_.reset();
    return nlohmann::json::parse(text);
  }

  // Messages until one of `type` for `session_id` (included), or the deadline.
  std::vector<nlohmann::json> until(const std::string& type, const std::string& session_id,
                                    std::chrono::milliseconds deadline) {
    std::vector<nlohmann::json> seen;
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end && !closed_) {
      auto m = next(std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now()));
      if (!m) break;
      if ((*m)["data"].value("session_id", "") != session_id) continue;
      seen.push_back(*m);
      if ((*m)["type"] == type) break;
    }
    return seen;
  }

  void send(const std::string& text) {
    beast::error_code ec;
    ws_.write(boost::asio::buffer(text), ec);
  }
  bool closed() const { return closed_; }

 private:
  boost::asio::io_context io_;
  bws::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  bool pending_ = false, closed_ = false;
  std::optional<std::string> got_;
};

}  // namespace qtrader::test
