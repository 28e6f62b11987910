#pragma once
// The netserver tests' real parts: a temporary directory, the whole server (accounts in SQLite,
// the simulation thread, TLS on 127.0.0.1 with an ephemeral port and a self-signed
// certificate) and a blocking WebSocket client whose every operation is bounded in time.

#include <doctest/doctest.h>
#include <stdlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "content/files.hpp"
#include "netserver/accounts.hpp"
#include "netserver/game.hpp"
#include "netserver/served_content.hpp"
#include "netserver/server.hpp"
#include "netserver/tls.hpp"
#include "protocol/session.hpp"

namespace nettest {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using WsStream = websocket::stream<TlsStream>;
using namespace std::chrono_literals;

inline constexpr auto kIoTimeout = 10s;  // any single client operation

// A fresh directory under the system's temporary directory, removed at the end.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "alphammo_net_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// Starts one asynchronous operation and runs the io_context until it completes or `timeout`
// passes; returns its error code (timed_out when it did not complete).
template <class Start>
beast::error_code run_op(net::io_context& ioc, Start start,
                         std::chrono::steady_clock::duration timeout = kIoTimeout) {
  std::optional<beast::error_code> result;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!result && std::chrono::steady_clock::now() < deadline)
    ioc.run_one_for(20ms);
  return result.value_or(net::error::timed_out);
}

// How a TestServer is set up; the defaults suit most tests.
struct TestServerOptions {
  std::size_t max_connections = 1024;
  std::size_t send_queue_limit = 64;
  std::size_t socket_send_buffer = 0;
  double messages_per_second = 1000;
  double message_burst = 1000;
  std::uint32_t violation_limit = 100;
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds close_timeout{1'000};
  std::chrono::milliseconds handshake_timeout{10'000};
  std::uint32_t tick_rate = 20;
  std::uint32_t save_interval_ticks = 0;  // 0: 60 s
  bool record = false;
  bool realtime = false;  // the simulation thread asks for SCHED_FIFO
  bool start_game = true;
  bool serve_content = true;  // name the content in welcome and serve it under /content/
  std::function<void(const std::filesystem::path& database)> before_start;  // seed the database
  std::function<void(world::Tick, world::EntityId, const protocol::Snapshot&)> view_probe;
};

// The whole server in this process, on 127.0.0.1 with an ephemeral port.
struct TestServer {
  static constexpr std::string_view kMap = "maps/default.tmj";

  TempDir dir;
  netserver::CertificateFiles cert;
  std::unique_ptr<netserver::AccountService> accounts;
  std::optional<netserver::Game> game;
  std::optional<netserver::Server> server;
  std::filesystem::path recording;
  std::shared_ptr<const netserver::ServedContent> content;  // what it serves (also when not)
  content::Bundle bundle;                                   // what its world runs on

  explicit TestServer(TestServerOptions o = {}) { start(o); }
  ~TestServer() { stop(); }

  void start(const TestServerOptions& o) {
    cert = netserver::ensure_self_signed(dir.path);
    if (o.before_start) o.before_start(database());
    netserver::AccountServiceOptions ao;
    ao.database = database();
    ao.password_params.opslimit = 1;  // cheap hashing: the tests are about the server
    ao.password_params.memlimit = 8192;
    auto opened = netserver::AccountService::open(ao);
    if (!opened.ok()) FAIL("cannot open the account service: " << opened.error().message);
    accounts = std::move(opened).value();

    // As alphammo-server does: the content read once, the world built from it, the same bytes
    // served under /content/.
    auto files = content::read_bundle_files(content::default_data_dir(), kMap);
    if (!files.ok()) FAIL("cannot read the content: " << files.error().message);
    auto loaded = content::load_bundle(files.value(), kMap);
    if (!loaded.ok()) FAIL("cannot load the content: " << loaded.error().message);
    bundle = loaded.value();
    auto served = netserver::ServedContent::make(std::string(kMap), files.value());
    if (!served.ok()) FAIL("cannot serve the content: " << served.error().message);
    netserver::GameOptions go;
    go.config = bundle.config;
    go.config.tick_rate_hz = o.tick_rate;
    go.map = bundle.map;
    go.save_interval_ticks = o.save_interval_ticks;
    go.view_probe = o.view_probe;
    go.realtime = o.realtime;
    if (o.record) {
      recording = dir.path / "run.amrec";
      go.recording_path = recording;
    }
    game.emplace(go, *accounts);

    netserver::ServerOptions so;
    so.port = 0;
    so.cert_path = cert.cert_path;
    so.key_path = cert.key_path;
    so.io_threads = 2;
    so.max_connections = o.max_connections;
    so.send_queue_limit = o.send_queue_limit;
    so.socket_send_buffer = o.socket_send_buffer;
    so.messages_per_second = o.messages_per_second;
    so.message_burst = o.message_burst;
    so.violation_limit = o.violation_limit;
    so.idle_timeout = o.idle_timeout;
    so.close_timeout = o.close_timeout;
    so.handshake_timeout = o.handshake_timeout;
    content = served.value();
    if (o.serve_content) so.content = content;
    server.emplace(so, *accounts, *game);
    server->start();
    if (o.start_game) game->start();
  }

  // Shuts down like the server process does on SIGTERM.
  void stop() {
    if (game) game->stop();
    if (server) server->stop();
    if (accounts) accounts->stop();
  }

  [[nodiscard]] std::filesystem::path database() const { return dir.path / "test.sqlite3"; }
  [[nodiscard]] std::uint16_t port() const { return server->port(); }
};

// A client context that trusts exactly this certificate and verifies the peer.
inline ssl::context verifying_context(const std::filesystem::path& cert) {
  ssl::context ctx{ssl::context::tls_client};
  ctx.load_verify_file(cert.string());
  ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

inline beast::error_code connect_tls(net::io_context& ioc, TlsStream& stream, std::uint16_t port,
                                     int receive_buffer = 0) {
  if (receive_buffer > 0) {  // set before connecting, so the window starts small
    auto& socket = beast::get_lowest_layer(stream).socket();
    socket.open(tcp::v4());
    socket.set_option(net::socket_base::receive_buffer_size(receive_buffer));
  }
  SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
  stream.set_verify_callback(ssl::host_name_verification("localhost"));
  const tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), port};
  auto ec = run_op(ioc, [&](auto handler) {
    beast::get_lowest_layer(stream).async_connect(endpoint, std::move(handler));
  });
  if (ec) return ec;
  return run_op(ioc, [&](auto handler) {
    stream.async_handshake(ssl::stream_base::client, std::move(handler));
  });
}

// Opens `ws` to the server on `port`, offering permessage-deflate; true when the server took
// the offer. Then checks that hello gets its welcome over it, compressed or not.
inline bool open_offering_deflate(net::io_context& ioc, WsStream& ws, std::uint16_t port) {
  REQUIRE_FALSE(connect_tls(ioc, ws.next_layer(), port));
  websocket::permessage_deflate deflate;
  deflate.client_enable = true;
  ws.set_option(deflate);
  websocket::response_type response;
  REQUIRE_FALSE(run_op(ioc, [&](auto handler) {
    ws.async_handshake(response, "localhost", "/", std::move(handler));
  }));
  const auto extensions = response[http::field::sec_websocket_extensions];
  const bool taken = std::string_view{extensions.data(), extensions.size()}.find(
                         "permessage-deflate") != std::string_view::npos;
  const std::string hello = protocol::encode(protocol::Hello{});
  REQUIRE_FALSE(
      run_op(ioc, [&](auto handler) { ws.async_write(net::buffer(hello), std::move(handler)); }));
  beast::flat_buffer buffer;
  REQUIRE_FALSE(run_op(ioc, [&](auto handler) { ws.async_read(buffer, std::move(handler)); }));
  const auto welcome = protocol::decode_server_message(beast::buffers_to_string(buffer.data()));
  REQUIRE(welcome.ok());
  CHECK(std::holds_alternative<protocol::Welcome>(welcome.value()));
  return taken;
}

struct HttpResult {
  beast::error_code ec;
  http::response<http::string_body> response;
};

inline HttpResult https_get(const std::filesystem::path& cert, std::uint16_t port,
                            const std::string& target, http::verb method = http::verb::get) {
  net::io_context ioc;
  ssl::context ctx = verifying_context(cert);
  TlsStream stream{ioc, ctx};
  HttpResult out;
  out.ec = connect_tls(ioc, stream, port);
  if (out.ec) return out;
  http::request<http::empty_body> req{method, target, 11};
  req.set(http::field::host, "localhost");
  req.keep_alive(false);
  out.ec = run_op(ioc, [&](auto handler) { http::async_write(stream, req, std::move(handler)); });
  if (out.ec) return out;
  beast::flat_buffer buffer;
  out.ec = run_op(ioc, [&](auto handler) {
    http::async_read(stream, buffer, out.response, std::move(handler));
  });
  return out;
}

inline HttpResult https_get(const TestServer& server, const std::string& target,
                            http::verb method = http::verb::get) {
  return https_get(server.cert.cert_path, server.port(), target, method);
}

// A WebSocket client over verified TLS. Every call is bounded by kIoTimeout.
struct WsClient {
  net::io_context ioc;
  ssl::context ctx;
  WsStream ws;
  beast::flat_buffer buffer;
  std::uint32_t seq = 0;
  bool greeted = false;

  // `receive_buffer`: the socket's receive buffer in bytes (0: the system's default).
  explicit WsClient(const TestServer& server, int receive_buffer = 0)
      : WsClient(server.cert.cert_path, server.port(), receive_buffer) {}
  // A client of the server on 127.0.0.1:`port` whose certificate is `cert`.
  WsClient(const std::filesystem::path& cert, std::uint16_t port, int receive_buffer = 0)
      : ctx(verifying_context(cert)), ws(ioc, ctx) {
    REQUIRE_FALSE(connect_tls(ioc, ws.next_layer(), port, receive_buffer));
    REQUIRE_FALSE(run_op(
        ioc, [&](auto handler) { ws.async_handshake("localhost", "/", std::move(handler)); }));
    ws.read_message_max(protocol::kMaxServerMessageBytes);
  }

  beast::error_code send(const std::string& text, bool binary = false) {
    ws.binary(binary);
    return run_op(ioc,
                  [&](auto handler) { ws.async_write(net::buffer(text), std::move(handler)); });
  }
  template <class M>
  void send_message(const M& m) {
    REQUIRE_FALSE(send(protocol::encode(m)));
  }

  // The next message as text, or the error that ended the read.
  std::variant<std::string, beast::error_code> receive(
      std::chrono::steady_clock::duration timeout = kIoTimeout) {
    buffer.consume(buffer.size());
    const auto ec = run_op(
        ioc, [&](auto handler) { ws.async_read(buffer, std::move(handler)); }, timeout);
    if (ec) return ec;
    return beast::buffers_to_string(buffer.data());
  }

  // The next message decoded; fails the test on a read error or an undecodable message.
  protocol::ServerMessage receive_message() {
    auto got = receive();
    // (The message is built even when the check passes, e.g. under --success.)
    const auto* failed = std::get_if<beast::error_code>(&got);
    REQUIRE_MESSAGE(failed == nullptr, "read failed: " << (failed ? failed->message() : ""));
    auto decoded = protocol::decode_server_message(std::get<std::string>(got));
    REQUIRE_MESSAGE(decoded.ok(), "undecodable: " << std::get<std::string>(got));
    return decoded.value();
  }

  // The next message that is not a `tick` (ticks may come in between answers).
  protocol::ServerMessage next_answer() {
    for (int i = 0; i < 1000; ++i) {
      auto m = receive_message();
      if (!std::holds_alternative<protocol::TickMessage>(m)) return m;
    }
    FAIL("no answer among 1000 tick messages");
    return {};
  }

  // The next answer, which must be a T.
  template <class T>
  T expect() {
    auto m = next_answer();
    REQUIRE_MESSAGE(std::holds_alternative<T>(m), "got " << protocol::encode(m));
    return std::get<T>(std::move(m));
  }

  // The next answer's error code (the answer must be an `error`).
  protocol::ErrorCode receive_error() { return expect<protocol::ProtocolError>().code; }

  protocol::ProtocolError expect_error(protocol::ErrorCode code) {
    auto e = expect<protocol::ProtocolError>();
    CHECK_MESSAGE(e.code == code, "got " << protocol::to_string(e.code) << ": " << e.message);
    return e;
  }

  // Sends a request and returns its answer (skipping ticks).
  template <class M>
  protocol::ServerMessage request(const M& m) {
    send_message(m);
    return next_answer();
  }

  void hello() {
    REQUIRE(std::holds_alternative<protocol::Welcome>(request(protocol::Hello{})));
    greeted = true;
  }

  // hello, register (or log in when the name is taken), a character, enter the world.
  protocol::Entered join(const std::string& user, const std::string& character,
                         const std::string& password = "secret") {
    if (!greeted) hello();
    auto r = request(protocol::Register{user, password});
    if (std::holds_alternative<protocol::ProtocolError>(r)) {
      r = request(protocol::Login{user, password});
    }
    REQUIRE_MESSAGE(std::holds_alternative<protocol::CharacterList>(r), protocol::encode(r));
    auto list = std::get<protocol::CharacterList>(r);
    if (list.list.empty()) {
      list = std::get<protocol::CharacterList>(
          request(protocol::CreateCharacter{character, 1, 2, 0x884422}));
    }
    REQUIRE_FALSE(list.list.empty());
    auto e = request(protocol::EnterWorld{list.list.front().id});
    REQUIRE_MESSAGE(std::holds_alternative<protocol::Entered>(e), protocol::encode(e));
    return std::get<protocol::Entered>(std::move(e));
  }

  // Sends a world command with the next seq; returns the seq.
  std::uint32_t command(world::CommandPayload payload) {
    protocol::ClientCommand c;
    c.seq = ++seq;
    c.command = std::move(payload);
    send_message(c);
    return c.seq;
  }

  // Reads tick messages until `done` returns true for one (at most `max_messages`).
  std::optional<protocol::TickMessage> tick_until(
      const std::function<bool(const protocol::TickMessage&)>& done, int max_messages = 400) {
    for (int i = 0; i < max_messages; ++i) {
      auto m = receive_message();
      if (auto* t = std::get_if<protocol::TickMessage>(&m)) {
        if (done(*t)) return *t;
      }
    }
    return std::nullopt;
  }

  // The read error that ends the session (the close), skipping messages before it.
  beast::error_code until_closed(std::vector<std::string>* seen = nullptr) {
    for (int i = 0; i < 2000; ++i) {
      auto got = receive();
      if (auto* ec = std::get_if<beast::error_code>(&got)) return *ec;
      if (seen) seen->push_back(std::get<std::string>(got));
    }
    return net::error::timed_out;
  }
};

}  // namespace nettest
