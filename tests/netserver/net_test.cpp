#include "netserver/server.hpp"
//
#include <doctest/doctest.h>
#include <openssl/ssl.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>

#include "netserver/tls.hpp"
#include "protocol/session.hpp"
#include "test_server.hpp"

namespace {

using namespace nettest;

std::string hello(std::uint32_t version = protocol::kProtocolVersion) {
  return protocol::encode(protocol::Hello{version});
}

// Sends `bytes` over plain TCP (no TLS) and returns everything the server sends back until it
// closes, or what came before `timeout`.
std::string plain_tcp_exchange(std::uint16_t port, const std::string& bytes,
                               std::chrono::steady_clock::duration timeout = 5s) {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  const tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), port};
  REQUIRE_FALSE(
      run_op(ioc, [&](auto handler) { stream.async_connect(endpoint, std::move(handler)); }));
  REQUIRE_FALSE(run_op(ioc, [&](auto handler) {
    net::async_write(stream, net::buffer(bytes), std::move(handler));
  }));
  std::string answer;
  auto buffer = net::dynamic_buffer(answer);
  (void)run_op(
      ioc, [&](auto handler) { net::async_read(stream, buffer, std::move(handler)); }, timeout);
  return answer;
}

// Collects what the default logger writes while it lives (the server logs through it).
class LogCapture {
 public:
  LogCapture() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256)) {
    spdlog::default_logger()->sinks().push_back(sink_);
  }
  ~LogCapture() {
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  // The lines that contain `needle`.
  [[nodiscard]] std::size_t count(std::string_view needle) const {
    const auto lines = sink_->last_formatted();
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const auto& l) {
      return l.find(needle) != std::string::npos;
    }));
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

}  // namespace

TEST_CASE("ensure_self_signed makes the certificate once and reuses it") {
  TempDir dir;
  const auto first = netserver::ensure_self_signed(dir.path / "data");
  CHECK(std::filesystem::exists(first.cert_path));
  CHECK(std::filesystem::exists(first.key_path));
  struct stat st {};
  REQUIRE(::stat(first.key_path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // 32 bytes as "AB:CD:...": 32 * 3 - 1 characters.
  REQUIRE(first.sha256_fingerprint_hex.size() == 95);
  for (std::size_t i = 0; i < first.sha256_fingerprint_hex.size(); ++i) {
    const char c = first.sha256_fingerprint_hex[i];
    if (i % 3 == 2) {
      CHECK(c == ':');
    } else {
      CHECK(((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')));
    }
  }
  const auto second = netserver::ensure_self_signed(dir.path / "data");
  CHECK(second.sha256_fingerprint_hex == first.sha256_fingerprint_hex);
  CHECK(netserver::certificate_fingerprint(first.cert_path) == first.sha256_fingerprint_hex);
  CHECK_NOTHROW((void)netserver::make_server_context(first.cert_path, first.key_path));
}

TEST_CASE("start-up errors name the file") {
  TempDir dir;
  const auto missing = dir.path / "nope.pem";
  try {
    (void)netserver::make_server_context(missing, missing);
    FAIL("expected an exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string{e.what()}.find(missing.string()) != std::string::npos);
  }
  const auto made = netserver::ensure_self_signed(dir.path);
  std::filesystem::remove(made.key_path);
  try {
    (void)netserver::ensure_self_signed(dir.path);
    FAIL("expected an exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string{e.what()}.find(made.key_path.string()) != std::string::npos);
  }
}

TEST_CASE("HTTPS: /healthz, /metrics and 404 over a verified TLS connection") {
  TestServer server;
  REQUIRE(server.port() != 0);

  const auto health = https_get(server, "/healthz");
  REQUIRE_FALSE(health.ec);
  CHECK(health.response.result() == http::status::ok);
  CHECK(health.response.body() == "ok\n");

  const auto metrics = https_get(server, "/metrics");
  REQUIRE_FALSE(metrics.ec);
  CHECK(metrics.response.result() == http::status::ok);
  CHECK(metrics.response.body().find("alphammo_connected_clients 0\n") != std::string::npos);
  CHECK(metrics.response.body().find("alphammo_connections_total ") != std::string::npos);

  const auto other = https_get(server, "/nothing-here");
  REQUIRE_FALSE(other.ec);
  CHECK(other.response.result() == http::status::not_found);
}

TEST_CASE("a TLS 1.1-only client fails the handshake") {
  TestServer server;
  net::io_context ioc;
  ssl::context ctx{ssl::context::tls_client};
  // Let this client offer TLS 1.1 at all (the system policy may forbid it).
  SSL_CTX_set_security_level(ctx.native_handle(), 0);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_1_VERSION);
  SSL_CTX_set_max_proto_version(ctx.native_handle(), TLS1_1_VERSION);
  ctx.set_verify_mode(ssl::verify_none);
  TlsStream stream{ioc, ctx};
  const tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), server.port()};
  REQUIRE_FALSE(run_op(ioc, [&](auto handler) {
    beast::get_lowest_layer(stream).async_connect(endpoint, std::move(handler));
  }));
  const auto ec = run_op(ioc, [&](auto handler) {
    stream.async_handshake(ssl::stream_base::client, std::move(handler));
  });
  CHECK(ec);
  CHECK(ec != net::error::timed_out);
}

TEST_CASE("plain HTTP, ws:// and raw TCP to the TLS port get a plain-text 400 saying so") {
  TestServer server;
  LogCapture log;
  const std::string requests[] = {
      "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
      "hello\n",
  };
  for (const std::string& request : requests) {
    CAPTURE(request);
    const auto start = std::chrono::steady_clock::now();
    const std::string answer = plain_tcp_exchange(server.port(), request);
    CHECK(std::chrono::steady_clock::now() - start < 3s);  // answered and closed, not timed out
    CHECK(answer.starts_with("HTTP/1.1 400 Bad Request\r\n"));
    CHECK(answer.find("Content-Type: text/plain") != std::string::npos);
    CHECK(answer.find("this port speaks TLS only. Use https:// or wss://") != std::string::npos);
  }
  // One log line per connection, naming what came.
  CHECK(log.count("plain text on the TLS port") == 3);
  CHECK(log.count("(\"GET /healthz") == 1);
  // TLS clients are served as before.
  const auto health = https_get(server, "/healthz");
  REQUIRE_FALSE(health.ec);
  CHECK(health.response.body() == "ok\n");
}

TEST_CASE("HTTPS: a request header over 8 KiB or a body over 1 KiB closes the connection") {
  TestServer server;
  const auto send_raw = [&](const std::string& request) {
    net::io_context ioc;
    ssl::context ctx = verifying_context(server.cert.cert_path);
    TlsStream stream{ioc, ctx};
    REQUIRE_FALSE(connect_tls(ioc, stream, server.port()));
    (void)run_op(ioc, [&](auto handler) {
      net::async_write(stream, net::buffer(request), std::move(handler));
    });
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    return run_op(
        ioc, [&](auto handler) { http::async_read(stream, buffer, response, std::move(handler)); });
  };
  const std::string big_header =
      "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + std::string(9 * 1024, 'x') +
      "\r\n\r\n";
  const std::string big_body =
      "POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2048\r\n\r\n" +
      std::string(2048, 'x');
  for (const std::string& request : {big_header, big_body}) {
    const auto ec = send_raw(request);
    CHECK(ec);  // no answer: the connection is closed
    CHECK(ec != net::error::timed_out);
  }
  const auto health = https_get(server, "/healthz");
  REQUIRE_FALSE(health.ec);
  CHECK(health.response.body() == "ok\n");
}

TEST_CASE("WebSocket: hello_required, welcome, errors keep the session, second hello") {
  TestServer server;
  WsClient client{server};

  REQUIRE_FALSE(client.send(protocol::encode(protocol::ListCharacters{})));
  CHECK(client.receive_error() == protocol::ErrorCode::HelloRequired);

  REQUIRE_FALSE(client.send(protocol::encode(protocol::Ping{42})));
  const auto pong = client.receive_message();
  REQUIRE(std::holds_alternative<protocol::Pong>(pong));
  CHECK(std::get<protocol::Pong>(pong).nonce == 42);

  REQUIRE_FALSE(client.send(hello()));
  const auto welcome = client.receive_message();
  REQUIRE(std::holds_alternative<protocol::Welcome>(welcome));
  CHECK(std::get<protocol::Welcome>(welcome).protocol_version == protocol::kProtocolVersion);
  CHECK(std::get<protocol::Welcome>(welcome).server.rfind("alphammo ", 0) == 0);

  REQUIRE_FALSE(client.send("{\"type\": \"hello\", "));
  CHECK(client.receive_error() == protocol::ErrorCode::MalformedJson);
  REQUIRE_FALSE(client.send("[1, 2]"));
  CHECK(client.receive_error() == protocol::ErrorCode::NotAnObject);
  REQUIRE_FALSE(client.send("{\"type\": \"dance\"}"));
  CHECK(client.receive_error() == protocol::ErrorCode::UnknownType);

  // Still usable: a second hello is refused as docs/protocol.md says (unexpected_message).
  REQUIRE_FALSE(client.send(hello()));
  CHECK(client.receive_error() == protocol::ErrorCode::UnexpectedMessage);

  const auto metrics = https_get(server, "/metrics");
  REQUIRE_FALSE(metrics.ec);
  CHECK(metrics.response.body().find("alphammo_connected_clients 1\n") != std::string::npos);
}

TEST_CASE("WebSocket: a wrong protocol version is refused and the server closes") {
  TestServer server;
  WsClient client{server};
  REQUIRE_FALSE(client.send(hello(protocol::kProtocolVersion + 1)));
  CHECK(client.receive_error() == protocol::ErrorCode::UnsupportedProtocolVersion);
  const auto end = client.receive();
  REQUIRE(std::holds_alternative<beast::error_code>(end));
  CHECK(std::get<beast::error_code>(end) == websocket::error::closed);
}

TEST_CASE(
    "WebSocket: a message over 16 KiB is refused with message_too_large; the session goes on") {
  TestServer server;
  WsClient client{server};
  REQUIRE_FALSE(client.send(hello()));
  REQUIRE(std::holds_alternative<std::string>(client.receive()));  // welcome
  const std::string big =
      "{\"type\": \"ping\", \"nonce\": 1, \"pad\": \"" + std::string(20 * 1024, 'x') + "\"}";
  REQUIRE_FALSE(client.send(big));
  CHECK(client.receive_error() == protocol::ErrorCode::MessageTooLarge);
  REQUIRE_FALSE(client.send(R"({"type": "ping", "nonce": 7})"));
  const auto pong = client.receive();
  REQUIRE(std::holds_alternative<std::string>(pong));
  CHECK(std::get<std::string>(pong).find("\"pong\"") != std::string::npos);
}

TEST_CASE("WebSocket: a frame over 64 KiB closes the connection with code 1009") {
  // Beast refuses the frame unread and fails the connection with close code too_big (1009).
  // It does not wait for the rest of the frame, so the client may see the close frame or,
  // when the unread rest made the server's TCP stack reset the connection, a transport error.
  TestServer server;
  WsClient client{server};
  const std::string big =
      "{\"type\": \"ping\", \"nonce\": 1, \"pad\": \"" + std::string(100 * 1024, 'x') + "\"}";
  (void)client.send(big);  // may already fail: the server stops reading at the frame header
  const auto end = client.receive();
  REQUIRE(std::holds_alternative<beast::error_code>(end));
  const auto ec = std::get<beast::error_code>(end);
  CHECK(ec != net::error::timed_out);
  if (ec == websocket::error::closed) {
    CHECK(client.ws.reason().code == websocket::close_code::too_big);
  }
  // The server is unharmed.
  const auto health = https_get(server, "/healthz");
  REQUIRE_FALSE(health.ec);
  CHECK(health.response.body() == "ok\n");
}

TEST_CASE("WebSocket: a binary frame closes the connection with a policy error") {
  TestServer server;
  WsClient client{server};
  REQUIRE_FALSE(client.send(hello(), /*binary=*/true));
  const auto end = client.receive();
  REQUIRE(std::holds_alternative<beast::error_code>(end));
  CHECK(std::get<beast::error_code>(end) == websocket::error::closed);
  CHECK(client.ws.reason().code == websocket::close_code::policy_error);
}

TEST_CASE("connections beyond max_connections are refused") {
  TestServerOptions options;
  options.max_connections = 1;
  TestServer server{options};
  WsClient first{server};  // holds the only slot
  const auto refused = https_get(server, "/healthz");
  CHECK(refused.ec);
  CHECK(refused.ec != net::error::timed_out);
  CHECK(server.server->metrics().connections_refused == 1);
}

TEST_CASE("stop() kicks the sessions and returns in bounded time") {
  TestServer server;
  WsClient client{server};
  REQUIRE_FALSE(client.send(hello()));
  REQUIRE(std::holds_alternative<protocol::Welcome>(client.receive_message()));
  CHECK(server.server->metrics().connected_clients == 1);

  // The client keeps reading while the server stops, so the close handshake completes.
  std::chrono::steady_clock::duration took{};
  std::thread stopper{[&] {
    const auto started = std::chrono::steady_clock::now();
    server.server->stop();
    took = std::chrono::steady_clock::now() - started;
  }};
  const auto kicked = client.receive_message();
  REQUIRE(std::holds_alternative<protocol::Kicked>(kicked));
  CHECK(std::get<protocol::Kicked>(kicked).reason == protocol::KickReason::ServerShutdown);
  const auto end = client.receive();
  REQUIRE(std::holds_alternative<beast::error_code>(end));
  CHECK(std::get<beast::error_code>(end) == websocket::error::closed);
  CHECK(client.ws.reason().code == websocket::close_code::going_away);
  stopper.join();
  CHECK(took < 5s);
  CHECK(server.server->metrics().connected_clients == 0);
  CHECK(server.server->metrics().open_connections == 0);
}

TEST_CASE("stop() is bounded even when a client does not answer the close") {
  TestServer server;
  WsClient client{server};
  REQUIRE_FALSE(client.send(hello()));
  REQUIRE(std::holds_alternative<protocol::Welcome>(client.receive_message()));
  // The client's io_context is not running: nobody answers the close frame.
  const auto started = std::chrono::steady_clock::now();
  server.server->stop();
  CHECK(std::chrono::steady_clock::now() - started < 5s);  // stop_timeout is 2 s
}

TEST_CASE("a full send queue kicks the session (too_slow)") {
  // A queue of 0 messages is always full: the first answer overflows it. (Filling a queue of 64
  // through a client that stops reading depends on the kernel's socket buffers.)
  TestServerOptions options;
  options.send_queue_limit = 0;
  TestServer server{options};
  WsClient client{server};
  REQUIRE_FALSE(client.send(hello()));
  const auto kicked = client.receive_message();
  REQUIRE(std::holds_alternative<protocol::Kicked>(kicked));
  CHECK(std::get<protocol::Kicked>(kicked).reason == protocol::KickReason::TooSlow);
  const auto end = client.receive();
  REQUIRE(std::holds_alternative<beast::error_code>(end));
  CHECK(std::get<beast::error_code>(end) == websocket::error::closed);
  CHECK(client.ws.reason().code == websocket::close_code::try_again_later);
  CHECK(client.ws.reason().reason == "too slow: send queue full");
}
