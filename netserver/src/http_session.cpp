// The first part of every connection: TLS handshake, then HTTP requests (/healthz, /metrics,
// /content/...), until a WebSocket upgrade hands the connection over to a WebSocket session. A
// connection whose first bytes are not a TLS ClientHello (http://, ws://, anything in plain
// text) gets a plain-text HTTP 400 that says the port speaks TLS, as nginx answers.

#include "http_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "metrics.hpp"
#include "websocket_session.hpp"

namespace netserver::detail {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr std::size_t kMaxRequestHeaderBytes = 8 * 1024;
constexpr std::size_t kMaxRequestBodyBytes = 1024;
// After the 400 to a plain-text client: how long, and how many of its bytes, are read and
// dropped before closing (closing with unread bytes would reset the connection, and the client
// might lose the answer).
constexpr auto kPlainTextLinger = std::chrono::seconds(1);
constexpr std::size_t kPlainTextDrainBytes = 64 * 1024;
// A TLS record: a 5-byte header (type, version, length) and at most 2^14 bytes of plaintext.
constexpr std::size_t kTlsRecordHeader = 5;
constexpr std::size_t kMaxTlsRecord = 16 * 1024;

constexpr std::string_view kPlainTextBody =
    "400 Bad Request: this port speaks TLS only. Use https:// or wss://, not http:// or ws://.\n";

// The answer to a client that does not speak TLS.
std::string plain_text_answer() {
  return "HTTP/1.1 400 Bad Request\r\nServer: alphammo\r\nContent-Type: text/plain\r\n"
         "Content-Length: " +
         std::to_string(kPlainTextBody.size()) + "\r\nConnection: close\r\n\r\n" +
         std::string{kPlainTextBody};
}

// The first bytes of a connection, fit for one log line: printable ASCII, the rest as '.'.
std::string printable_start(const beast::flat_buffer& buffer) {
  const auto data = buffer.cdata();
  const std::string_view bytes{static_cast<const char*>(data.data()),
                               std::min<std::size_t>(data.size(), 24)};
  std::string out;
  for (const char c : bytes)
    out += (c >= 0x20 && c < 0x7f && c != '"') ? c : '.';
  return out;
}

// Every response body is a view: of a literal, of the session's own text (/metrics), or of the
// content bundle the server holds in memory (which outlives the session through its state).
using Body = http::span_body<const char>;
using Response = http::response<Body>;

class HttpSession : public Closeable, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<SharedState> state)
      : executor_(socket.get_executor()),
        tcp_(std::move(socket)),
        state_(std::move(state)),
        slot_(state_) {}
  ~HttpSession() override {
    if (registered_) state_->remove(key_);
  }

  void run() {
    key_ = state_->add(weak_from_this());
    registered_ = true;
    net::dispatch(tcp_.get_executor(),
                  beast::bind_front_handler(&HttpSession::on_run, shared_from_this()));
  }

  void shutdown() override {
    // executor_, not the stream's: after a hand-over the stream is moved from.
    net::post(executor_, [self = shared_from_this()] {
      if (!self->handed_over_) self->lowest().close();
    });
  }

 private:
  void on_run() {
    if (state_->stopping) return tcp_.close();
    tcp_.expires_after(state_->options.handshake_timeout);
    // TLS at all? (The bytes read to tell stay in buffer_ for the handshake.)
    beast::async_detect_ssl(tcp_, buffer_,
                            beast::bind_front_handler(&HttpSession::on_detect, shared_from_this()));
  }

  void on_detect(beast::error_code ec, bool tls) {
    if (ec) return fail(ec, "tls detect");
    if (!tls) return answer_plain_text();
    read_first_record();
  }

  // Reads until buffer_ holds the client's first TLS record (its ClientHello) whole. The TLS
  // state (OpenSSL's and Asio's buffers, about 90 KiB once a handshake is under way) is made
  // only then, so that a connection that sends nothing, or half a ClientHello, holds a few KiB
  // until the handshake timeout (set at the start, still running) drops it.
  void read_first_record() {
    const auto* bytes = static_cast<const unsigned char*>(buffer_.data().data());
    const std::size_t record =
        buffer_.size() < kTlsRecordHeader
            ? kTlsRecordHeader
            : kTlsRecordHeader + ((std::size_t{bytes[3]} << 8) | std::size_t{bytes[4]});
    // A length beyond TLS's limit is read no further: OpenSSL refuses it in the handshake.
    const std::size_t want = std::min(record, kTlsRecordHeader + kMaxTlsRecord);
    if (buffer_.size() >= want) return start_handshake();
    tcp_.async_read_some(buffer_.prepare(want - buffer_.size()),
                         [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                           if (ec) return fail(ec, "tls detect");
                           self->buffer_.commit(n);
                           self->read_first_record();
                         });
  }

  void start_handshake() {
    stream_.emplace(std::move(tcp_), state_->ssl);
    stream_->async_handshake(
        ssl::stream_base::server, buffer_.data(),
        beast::bind_front_handler(&HttpSession::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec, std::size_t used) {
    if (ec) return fail(ec, "tls handshake");
    buffer_.consume(used);
    do_read();
  }

  // Not TLS: one log line, a plain-text 400 saying so, then the connection is closed.
  void answer_plain_text() {
    auto& lowest = tcp_;
    beast::error_code ignored;
    const auto peer = lowest.socket().remote_endpoint(ignored);
    spdlog::info("{}:{}: plain text on the TLS port (\"{}\"): answered 400, closed",
                 peer.address().to_string(), peer.port(), printable_start(buffer_));
    text_ = plain_text_answer();
    lowest.expires_after(kPlainTextLinger);
    net::async_write(lowest, net::buffer(text_),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       auto& socket = self->tcp_.socket();
                       beast::error_code ignored_ec;
                       if (ec) return socket.close(ignored_ec);
                       socket.shutdown(tcp::socket::shutdown_send, ignored_ec);
                       self->drain_plain_text(0);
                     });
  }

  // Reads and drops what the plain-text client still sends, until it closes, kPlainTextLinger
  // passed or kPlainTextDrainBytes were read; then closes.
  void drain_plain_text(std::size_t drained) {
    auto& lowest = tcp_;
    if (drained >= kPlainTextDrainBytes) return lowest.close();
    lowest.async_read_some(net::buffer(scratch_), [self = shared_from_this(), drained](
                                                      beast::error_code ec, std::size_t n) {
      if (ec) return self->tcp_.close();
      self->drain_plain_text(drained + n);
    });
  }

  void do_read() {
    parser_.emplace();
    parser_->header_limit(kMaxRequestHeaderBytes);
    parser_->body_limit(kMaxRequestBodyBytes);
    lowest().expires_after(state_->options.http_timeout);
    http::async_read(*stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == http::error::end_of_stream) return do_close();
    if (ec) return fail(ec, "http read");
    if (websocket::is_upgrade(parser_->get())) {
      handed_over_ = true;
      return start_websocket_session(std::move(*stream_), state_, std::move(slot_),
                                     parser_->release());
    }
    const auto& req = parser_->get();
    response_.emplace(make_response(req));
    http::async_write(*stream_, *response_,
                      beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
  }

  Response make_response(const http::request<http::string_body>& req) {
    const auto reply = [&](http::status status, std::string_view body, std::string_view type) {
      Response res{status, req.version()};
      res.set(http::field::server, "alphammo");
      res.set(http::field::content_type, type);
      res.keep_alive(req.keep_alive());
      res.body() = Body::value_type(body.data(), body.size());
      res.prepare_payload();
      return res;
    };
    const auto not_found = [&] {
      return reply(http::status::not_found, "not found\n", "text/plain");
    };
    const std::string_view target{req.target().data(), req.target().size()};
    std::optional<ServedContent::Resource> content;
    if (target.starts_with(kContentUrlPrefix)) {
      ++state_->content_requests;
      if (state_->options.content) content = state_->options.content->find(target);
      if (!content) {
        ++state_->content_not_found;
        return not_found();
      }
    } else if (target != "/healthz" && target != "/metrics") {
      return not_found();
    }
    if (req.method() != http::verb::get) {
      auto res = reply(http::status::method_not_allowed, "method not allowed\n", "text/plain");
      res.set(http::field::allow, "GET");
      return res;
    }
    if (content) return reply(http::status::ok, content->body, content->content_type);
    if (target == "/healthz") return reply(http::status::ok, "ok\n", "text/plain");
    text_ = metrics_text(*state_);
    return reply(http::status::ok, text_, "text/plain; version=0.0.4; charset=utf-8");
  }

  void on_write(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return fail(ec, "http write");
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    if (!keep_alive || state_->stopping) return do_close();
    do_read();
  }

  void do_close() {
    lowest().expires_after(state_->options.handshake_timeout);
    stream_->async_shutdown(
        beast::bind_front_handler(&HttpSession::on_shutdown, shared_from_this()));
  }

  void on_shutdown(beast::error_code ec) {
    if (ec) fail(ec, "tls shutdown");
  }

  // The TCP connection; once it has sent the start of a ClientHello, stream_ (TLS over it).
  beast::tcp_stream& lowest() { return stream_ ? beast::get_lowest_layer(*stream_) : tcp_; }

  net::any_io_executor executor_;  // the connection's strand
  beast::tcp_stream tcp_;          // moved into stream_ when TLS begins
  std::optional<TlsStream> stream_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<Response> response_;
  std::string text_;  // the body of a response made for one request (/metrics), or the 400
  std::array<char, 1024> scratch_{};  // what a plain-text client sends after the 400
  std::uint64_t key_ = 0;
  bool registered_ = false;
  bool handed_over_ = false;
};

}  // namespace

void start_http_session(tcp::socket socket, std::shared_ptr<SharedState> state) {
  std::make_shared<HttpSession>(std::move(socket), std::move(state))->run();
}

}  // namespace netserver::detail
