// The connection of one client: TLS handshake, then HTTP requests (/healthz, /metrics) until
// a WebSocket upgrade turns it into a WebSocket session speaking the session protocol.

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "net_state.hpp"
#include "protocol/session.hpp"

namespace netserver::detail {
namespace {

// Largest WebSocket frame read at all; the protocol's own limit (16 KiB) is checked on what
// is read, so an oversized message is answered with an error rather than a disconnect.
constexpr std::size_t kMaxFrameBytes = 4 * protocol::kMaxClientMessageBytes;

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::size_t kMaxRequestHeaderBytes = 8 * 1024;
constexpr std::size_t kMaxRequestBodyBytes = 1024;

std::string server_name(const ServerOptions& options) {
  if (!options.server_name.empty()) return options.server_name;
  return std::string{"alphammo "} + ALPHAMMO_VERSION_STRING;
}

std::string metrics_text(const SharedState& state) {
  std::string out;
  out += "# HELP alphammo_connected_clients Open WebSocket sessions.\n";
  out += "# TYPE alphammo_connected_clients gauge\n";
  out += "alphammo_connected_clients " + std::to_string(state.connected_clients.load()) + "\n";
  out += "# HELP alphammo_connections_total TCP connections accepted since start.\n";
  out += "# TYPE alphammo_connections_total counter\n";
  out += "alphammo_connections_total " + std::to_string(state.connections_total.load()) + "\n";
  return out;
}

// ---------------------------------------------------------------------------------------------

class WebSocketSession : public Closeable, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(TlsStream&& stream, std::shared_ptr<SharedState> state, ConnectionSlot slot)
      : ws_(std::move(stream)), state_(std::move(state)), slot_(std::move(slot)) {
    ++state_->connected_clients;
  }
  ~WebSocketSession() override {
    --state_->connected_clients;
    if (registered_) state_->remove(key_);
  }

  void run(const http::request<http::string_body>& req) {
    key_ = state_->add(weak_from_this());
    registered_ = true;
    beast::get_lowest_layer(ws_).expires_never();  // the websocket timeouts take over
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "alphammo"); }));
    // Frames up to 4x the protocol's limit are read and answered with message_too_large by the
    // protocol layer (the session carries on); longer ones close the connection (1009).
    ws_.read_message_max(kMaxFrameBytes);
    ws_.text(true);
    ws_.async_accept(req,
                     beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
  }

  void shutdown() override {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      self->send_then_close(
          protocol::encode(protocol::Kicked{protocol::KickReason::ServerShutdown}),
          websocket::close_reason{websocket::close_code::going_away, "server shutdown"});
    });
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return fail(ec, "websocket accept");
    accepted_ = true;
    if (state_->stopping) return close({websocket::close_code::going_away, "server shutdown"});
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_,
                   beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t /*bytes*/) {
    // A frame longer than kMaxFrameBytes fails the read with message_too_big, after Beast
    // closed the connection with close code 1009 (too_big).
    if (ec) return fail(ec, "websocket read");
    if (!ws_.got_text()) {
      buffer_.consume(buffer_.size());
      close({websocket::close_code::policy_error, "binary frames are not allowed"});
    } else {
      const auto data = buffer_.cdata();
      handle_text(std::string_view{static_cast<const char*>(data.data()), data.size()});
      buffer_.consume(buffer_.size());
    }
    do_read();  // also while closing: the close handshake completes through the read
  }

  void handle_text(std::string_view text) {
    if (closing_ || close_after_drain_) return;
    auto decoded = protocol::decode_client_message(text);
    if (!decoded.ok()) return send(protocol::encode(decoded.error()));
    const protocol::ClientMessage& message = decoded.value();
    const std::string type{protocol::type_name(message)};
    if (const auto* ping = std::get_if<protocol::Ping>(&message)) {
      return send(protocol::encode(protocol::Pong{ping->nonce, 0}));
    }
    if (const auto* hello = std::get_if<protocol::Hello>(&message)) {
      if (greeted_) {
        return send(protocol::encode(
            protocol::ProtocolError{protocol::ErrorCode::UnexpectedMessage,
                                    "hello: the session is already greeted", type}));
      }
      if (hello->protocol_version != protocol::kProtocolVersion) {
        return send_then_close(
            protocol::encode(
                protocol::ProtocolError{protocol::ErrorCode::UnsupportedProtocolVersion,
                                        "hello.protocol_version: this server speaks " +
                                            std::to_string(protocol::kProtocolVersion) + ", got " +
                                            std::to_string(hello->protocol_version),
                                        type}),
            {websocket::close_code::policy_error, "unsupported protocol version"});
      }
      greeted_ = true;
      protocol::Welcome welcome;
      welcome.server = server_name(state_->options);
      welcome.tick_rate = state_->options.tick_rate;
      return send(protocol::encode(welcome));
    }
    if (!greeted_) {
      return send(protocol::encode(protocol::ProtocolError{protocol::ErrorCode::HelloRequired,
                                                           type + ": send hello first", type}));
    }
    // Accounts, characters and the world are not served yet.
    send(protocol::encode(protocol::ProtocolError{protocol::ErrorCode::UnexpectedMessage,
                                                  type + ": not supported by this server yet",
                                                  type}));
  }

  // Queues one message; a full queue closes the session (a client too slow to read).
  void send(std::string text) {
    if (closing_) return;
    if (queue_.size() >= state_->options.send_queue_limit) {
      queue_.clear();
      return close({websocket::close_code::policy_error, "too slow: send queue full"});
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) do_write();
  }

  // Queues a last message (past the queue limit if need be) and closes once it is sent.
  void send_then_close(std::string text, websocket::close_reason reason) {
    if (closing_ || close_after_drain_) return;
    if (!accepted_) return close(reason);
    close_after_drain_ = true;
    drain_reason_ = std::move(reason);
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) do_write();
  }

  void do_write() {
    ws_.async_write(net::buffer(queue_.front()),
                    beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      queue_.clear();
      return fail(ec, "websocket write");
    }
    if (!queue_.empty()) queue_.pop_front();
    if (closing_) return queue_.clear();
    if (!queue_.empty()) return do_write();
    if (close_after_drain_) close(drain_reason_);
  }

  void close(websocket::close_reason reason) {
    if (closing_) return;
    closing_ = true;
    if (!accepted_) return beast::get_lowest_layer(ws_).close();
    ws_.async_close(reason,
                    beast::bind_front_handler(&WebSocketSession::on_close, shared_from_this()));
  }

  void on_close(beast::error_code ec) {
    if (ec) fail(ec, "websocket close");
  }

  websocket::stream<TlsStream> ws_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  websocket::close_reason drain_reason_;
  std::uint64_t key_ = 0;
  bool registered_ = false;
  bool accepted_ = false;
  bool greeted_ = false;
  bool close_after_drain_ = false;
  bool closing_ = false;
};

// ---------------------------------------------------------------------------------------------

class HttpSession : public Closeable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<SharedState> state)
      : executor_(socket.get_executor()),
        stream_(std::move(socket), state->ssl),
        state_(std::move(state)),
        slot_(state_) {}
  ~HttpSession() override {
    if (registered_) state_->remove(key_);
  }

  void run() {
    key_ = state_->add(weak_from_this());
    registered_ = true;
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HttpSession::on_run, shared_from_this()));
  }

  void shutdown() override {
    // executor_, not stream_'s: after a hand-over stream_ is moved from.
    net::post(executor_, [self = shared_from_this()] {
      if (!self->handed_over_) beast::get_lowest_layer(self->stream_).close();
    });
  }

 private:
  void on_run() {
    if (state_->stopping) return beast::get_lowest_layer(stream_).close();
    beast::get_lowest_layer(stream_).expires_after(state_->options.handshake_timeout);
    stream_.async_handshake(
        ssl::stream_base::server,
        beast::bind_front_handler(&HttpSession::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return fail(ec, "tls handshake");
    do_read();
  }

  void do_read() {
    parser_.emplace();
    parser_->header_limit(kMaxRequestHeaderBytes);
    parser_->body_limit(kMaxRequestBodyBytes);
    beast::get_lowest_layer(stream_).expires_after(state_->options.http_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == http::error::end_of_stream) return do_close();
    if (ec) return fail(ec, "http read");
    if (websocket::is_upgrade(parser_->get())) {
      handed_over_ = true;
      auto ws = std::make_shared<WebSocketSession>(std::move(stream_), state_, std::move(slot_));
      ws->run(parser_->release());
      return;
    }
    const auto& req = parser_->get();
    response_.emplace(make_response(req));
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
  }

  http::response<http::string_body> make_response(const http::request<http::string_body>& req) {
    const auto reply = [&](http::status status, std::string body, std::string_view type) {
      http::response<http::string_body> res{status, req.version()};
      res.set(http::field::server, "alphammo");
      res.set(http::field::content_type, type);
      res.keep_alive(req.keep_alive());
      res.body() = std::move(body);
      res.prepare_payload();
      return res;
    };
    const std::string_view target{req.target().data(), req.target().size()};
    const bool known = target == "/healthz" || target == "/metrics";
    if (!known) return reply(http::status::not_found, "not found\n", "text/plain");
    if (req.method() != http::verb::get) {
      auto res = reply(http::status::method_not_allowed, "method not allowed\n", "text/plain");
      res.set(http::field::allow, "GET");
      return res;
    }
    if (target == "/healthz") return reply(http::status::ok, "ok\n", "text/plain");
    return reply(http::status::ok, metrics_text(*state_),
                 "text/plain; version=0.0.4; charset=utf-8");
  }

  void on_write(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return fail(ec, "http write");
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    if (!keep_alive || state_->stopping) return do_close();
    do_read();
  }

  void do_close() {
    beast::get_lowest_layer(stream_).expires_after(state_->options.handshake_timeout);
    stream_.async_shutdown(
        beast::bind_front_handler(&HttpSession::on_shutdown, shared_from_this()));
  }

  void on_shutdown(beast::error_code ec) {
    if (ec) fail(ec, "tls shutdown");
  }

  net::any_io_executor executor_;  // the connection's strand
  TlsStream stream_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::uint64_t key_ = 0;
  bool registered_ = false;
  bool handed_over_ = false;
};

}  // namespace

std::uint64_t SharedState::add(std::weak_ptr<Closeable> session) {
  const std::lock_guard lock{mutex_};
  const std::uint64_t key = next_key_++;
  sessions_.emplace(key, std::move(session));
  return key;
}

void SharedState::remove(std::uint64_t key) {
  const std::lock_guard lock{mutex_};
  sessions_.erase(key);
}

std::vector<std::shared_ptr<Closeable>> SharedState::live() {
  std::vector<std::shared_ptr<Closeable>> out;
  const std::lock_guard lock{mutex_};
  out.reserve(sessions_.size());
  for (const auto& [key, weak] : sessions_) {
    if (auto session = weak.lock()) out.push_back(std::move(session));
  }
  return out;
}

void fail(beast::error_code ec, const char* what) {
  if (ec == net::error::operation_aborted || ec == websocket::error::closed ||
      ec == net::ssl::error::stream_truncated || ec == http::error::end_of_stream ||
      ec == net::error::eof) {
    return;
  }
  spdlog::info("{}: {}", what, ec.message());
}

void start_session(tcp::socket socket, std::shared_ptr<SharedState> state) {
  std::make_shared<HttpSession>(std::move(socket), std::move(state))->run();
}

}  // namespace netserver::detail
