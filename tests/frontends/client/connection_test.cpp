// Connection and Session against the real server in this process (TLS on 127.0.0.1, an
// ephemeral port, a self-signed certificate): the session flow, certificate checks, and each
// way of failing with its own error.
#include "client/connection.hpp"
#include "client/blocking_session.hpp"
#include "client/session.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "test_server.hpp"

namespace {

using namespace std::chrono_literals;
using client::ErrorKind;

// A port nothing listens on: bound, then closed.
std::uint16_t free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a{ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}};
  const auto port = a.local_endpoint().port();
  a.close();
  return port;
}

client::SessionOptions options_for(const nettest::TestServer& server, const std::string& user) {
  client::SessionOptions o;
  o.connect.host = "127.0.0.1";
  o.connect.port = server.port();
  o.connect.verify = client::TlsVerify::CaFile;
  o.connect.ca_file = server.cert.cert_path;
  o.username = user;
  o.password = "secret";
  o.retry.initial_backoff = 50ms;
  return o;
}

std::string lower_no_colons(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c != ':') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The TCP sockets of this process between 127.0.0.1 ports, with their TCP_NODELAY: both ends
// of a connection to the in-process server are here.
struct TcpSocket {
  std::uint16_t local_port = 0;
  std::uint16_t peer_port = 0;
  bool no_delay = false;
};
std::vector<TcpSocket> tcp_sockets() {
  std::vector<TcpSocket> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    int fd = -1;
    try {
      fd = std::stoi(e.path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    sockaddr_in local{}, peer{};
    socklen_t local_size = sizeof local, peer_size = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size) != 0 ||
        local.sin_family != AF_INET ||
        ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_size) != 0)
      continue;
    int type = 0, flag = 0;
    socklen_t type_size = sizeof type, flag_size = sizeof flag;
    if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_size) != 0 || type != SOCK_STREAM ||
        ::getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &flag, &flag_size) != 0)
      continue;
    out.push_back({ntohs(local.sin_port), ntohs(peer.sin_port), flag != 0});
  }
  return out;
}

// Runs a session until it finished; returns its error (fails the test if it did not finish).
std::optional<client::ClientError> run_to_failure(client::BlockingSession& s,
                                                  std::chrono::milliseconds bound = 20s) {
  const auto entered = s.enter(bound);
  REQUIRE_MESSAGE(entered.has_value(), "the session entered the world but should have failed");
  REQUIRE_MESSAGE(s.finished(), "the session did not finish: " << client::describe(*entered));
  return s.session().error();
}

// A port that speaks no TLS: each connection's first bytes are answered with `answer` (empty:
// nothing, the connection is held open) and the connection is closed. Serves until destroyed.
class PlainTextPort {
 public:
  explicit PlainTextPort(std::string answer)
      : acceptor_(ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}),
        answer_(std::move(answer)),
        thread_([this] {
          accept();
          ioc_.run();
        }) {}
  ~PlainTextPort() {
    ioc_.stop();
    thread_.join();
  }
  PlainTextPort(const PlainTextPort&) = delete;
  PlainTextPort& operator=(const PlainTextPort&) = delete;
  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  using Socket = boost::asio::ip::tcp::socket;
  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, Socket socket) {
      if (ec) return;
      auto s = std::make_shared<Socket>(std::move(socket));
      auto buf = std::make_shared<std::array<char, 4096>>();
      s->async_read_some(boost::asio::buffer(*buf),
                         [this, s, buf](boost::system::error_code e, std::size_t) {
                           if (e || answer_.empty()) return held_.push_back(s);
                           boost::asio::async_write(*s, boost::asio::buffer(answer_),
                                                    [s](boost::system::error_code, std::size_t) {
                                                      boost::system::error_code ignored;
                                                      s->shutdown(Socket::shutdown_both, ignored);
                                                      s->close(ignored);
                                                    });
                         });
      accept();
    });
  }
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::string answer_;
  std::vector<std::shared_ptr<Socket>> held_;
  std::thread thread_;
};

client::SessionOptions options_for_port(std::uint16_t port) {
  client::SessionOptions o;
  o.connect.host = "127.0.0.1";
  o.connect.port = port;
  o.connect.verify = client::TlsVerify::Insecure;
  o.connect.warn_insecure = false;
  o.username = "nobody";
  o.password = "pw";
  o.retry.max_attempts = 1;
  return o;
}

}  // namespace

TEST_CASE("session: a port that answers in plain text fails at once, in words, not retried") {
  // What a plain HTTP server (or a ws:// one) answers to a TLS ClientHello, and an SSH banner.
  PlainTextPort http{
      "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
      "Content-Length: 12\r\nConnection: close\r\n\r\nBad Request\n"};
  PlainTextPort ssh{"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"};
  for (const std::uint16_t port : {http.port(), ssh.port()}) {
    client::SessionOptions o = options_for_port(port);
    o.retry.max_attempts = 3;  // a Tls error is not retried anyway
    client::BlockingSession s{o};
    const auto start = std::chrono::steady_clock::now();
    const auto e = run_to_failure(s, 10s);
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    REQUIRE(e);
    CHECK(e->kind == ErrorKind::Tls);
    CHECK_MESSAGE(e->message.find("does not speak TLS") != std::string::npos, e->message);
    CHECK_MESSAGE(e->message.find(std::to_string(port)) != std::string::npos, e->message);
    CHECK_MESSAGE(e->message.find("wrong version number") == std::string::npos, e->message);
    CHECK(s.session().stats().reconnects == 0);
  }
}

TEST_CASE("session: a port that never answers the TLS handshake fails after tls_timeout") {
  PlainTextPort silent{""};
  client::SessionOptions o = options_for_port(silent.port());
  o.connect.tls_timeout = 300ms;
  client::BlockingSession s{o};
  const auto start = std::chrono::steady_clock::now();
  const auto e = run_to_failure(s, 10s);
  CHECK(std::chrono::steady_clock::now() - start < 3s);
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Timeout);
  CHECK_MESSAGE(e->message.find("does not speak TLS") != std::string::npos, e->message);
}

TEST_CASE("character_name_for makes a valid character name from a username") {
  CHECK(client::character_name_for("bot_7") == "Bot 7");
  CHECK(client::character_name_for("alice") == "Alice");
  CHECK(client::character_name_for("__x") == "Xxx");
  CHECK(client::character_name_for("123") == "Player");
  CHECK(client::character_name_for("a_very_long_user_name_here").size() <= 16);
}

TEST_CASE("session: hello, register, create a character, enter, ticks fed to the mirror") {
  nettest::TestServer server;
  client::SessionOptions o = options_for(server, "alice");
  client::BlockingSession s{o};
  const auto e = s.enter();
  REQUIRE_MESSAGE(!e, client::describe(*e));
  CHECK(s.session().welcome().protocol_version == protocol::kProtocolVersion);
  CHECK(s.session().welcome().tick_rate == 20);
  REQUIRE(s.session().characters().list.size() == 1);
  CHECK(s.session().characters().list.front().name == "Alice");
  const client::WorldMirror& m = s.mirror();
  REQUIRE(m.entered());
  REQUIRE(m.self() != nullptr);
  CHECK(m.self()->name == "Alice");
  CHECK(m.character().name == "Alice");

  // Commands go out with increasing seq and come back acknowledged in tick messages (a tick in
  // which nothing the client sees changes is not sent, so the commands make the ticks come).
  const auto entered_tick = m.tick();
  const std::uint32_t first = s.send(world::Face{world::Direction::North});
  const std::uint32_t second = s.send(world::Say{"hello"});
  CHECK(first == 1);
  CHECK(second == 2);
  CHECK(s.run_until([&] { return m.ack_seq() >= second; }, 10s));
  CHECK(s.session().stats().commands_sent == 2);
  CHECK(s.session().stats().commands_accepted == 2);
  CHECK(s.session().stats().commands_rejected == 0);
  CHECK(std::any_of(m.chat().begin(), m.chat().end(),
                    [](const client::ChatLine& l) { return l.text == "hello"; }));
  CHECK(m.self()->facing == world::Direction::North);
  CHECK(m.tick() > entered_tick);
  CHECK(s.session().stats().ticks >= 1);

  const client::SessionStats st = s.session().stats();
  CHECK(st.entered == 1);
  CHECK(st.reconnects == 0);
  CHECK(st.messages_in > 3);
  CHECK(st.bytes_in > 0);
  CHECK(st.bytes_out > 0);

  s.stop();
  CHECK(s.finished());
  CHECK_FALSE(s.session().error().has_value());

  // The account exists now: a second session logs in and plays the same character.
  client::BlockingSession again{o};
  const auto e2 = again.enter();
  REQUIRE_MESSAGE(!e2, client::describe(*e2));
  CHECK(again.session().characters().list.size() == 1);
  CHECK(again.mirror().self()->name == "Alice");
  again.stop();
}

TEST_CASE("session: a world command the world refuses counts as rejected") {
  nettest::TestServer server;
  client::BlockingSession s{options_for(server, "bob")};
  REQUIRE_FALSE(s.enter());
  // Attacking yourself is refused by the world (self_target).
  const auto seq = s.send(world::Attack{s.mirror().you()});
  REQUIRE(seq != 0);
  CHECK(s.run_until([&] { return s.mirror().ack_seq() >= seq; }, 10s));
  CHECK(s.session().stats().commands_rejected == 1);
  CHECK(s.session().stats().commands_accepted == 0);
  s.stop();
}

TEST_CASE("session: a pinned fingerprint in any spelling connects") {
  nettest::TestServer server;
  client::SessionOptions o = options_for(server, "carol");
  o.connect.verify = client::TlsVerify::Pin;
  o.connect.pin = lower_no_colons(server.cert.sha256_fingerprint_hex);
  client::BlockingSession s{o};
  const auto e = s.enter();
  REQUIRE_MESSAGE(!e, client::describe(*e));
  s.stop();
}

TEST_CASE("session: a wrong pin fails with the fingerprint error, not retried") {
  nettest::TestServer server;
  client::SessionOptions o = options_for(server, "dave");
  o.connect.verify = client::TlsVerify::Pin;
  o.connect.pin = std::string(64, '0');
  client::BlockingSession s{o};
  const auto e = run_to_failure(s);
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Fingerprint);
  CHECK(e->message.find(server.cert.sha256_fingerprint_hex) != std::string::npos);
  CHECK(s.session().stats().reconnects == 0);
}

TEST_CASE("session: a malformed pin is an options error") {
  client::SessionOptions o;
  o.connect.verify = client::TlsVerify::Pin;
  o.connect.pin = "AB:CD";
  o.username = "x_user";
  o.password = "pw";
  client::BlockingSession s{o};
  const auto e = run_to_failure(s);
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Options);
  CHECK(e->message.find("64 hex digits") != std::string::npos);
}

TEST_CASE("session: a CA file that is not the server's fails with a TLS error") {
  nettest::TestServer server;
  nettest::TempDir other;
  const auto other_cert = netserver::ensure_self_signed(other.path);
  client::SessionOptions o = options_for(server, "erin");
  o.connect.ca_file = other_cert.cert_path;
  client::BlockingSession s{o};
  const auto e = run_to_failure(s);
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Tls);
  CHECK(e->message.find("not trusted") != std::string::npos);
  CHECK(s.session().stats().reconnects == 0);
}

TEST_CASE("session: the system's CAs do not trust a self-signed server") {
  nettest::TestServer server;
  client::SessionOptions o = options_for(server, "frank");
  o.connect.verify = client::TlsVerify::System;
  client::BlockingSession s{o};
  const auto e = run_to_failure(s);
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Tls);
  CHECK(e->message.find("fingerprint") != std::string::npos);  // says how to pin instead
}

TEST_CASE("session: insecure connects without checking") {
  nettest::TestServer server;
  client::SessionOptions o = options_for(server, "grace");
  o.connect.verify = client::TlsVerify::Insecure;
  o.connect.warn_insecure = false;
  client::BlockingSession s{o};
  const auto e = s.enter();
  REQUIRE_MESSAGE(!e, client::describe(*e));
  s.stop();
}

TEST_CASE("session: an unresolvable name fails with the resolve error, not retried") {
  client::SessionOptions o;
  o.connect.host = "nonexistent.invalid";
  o.connect.verify = client::TlsVerify::Insecure;
  o.username = "nobody";
  o.password = "pw";
  client::BlockingSession s{o};
  const auto e = run_to_failure(s);
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Resolve);
  CHECK(e->message.find("nonexistent.invalid") != std::string::npos);
  CHECK(s.session().stats().reconnects == 0);
}

TEST_CASE("session: a refused port fails with the refused error after bounded retries") {
  client::SessionOptions o;
  o.connect.host = "127.0.0.1";
  o.connect.port = free_port();
  o.connect.verify = client::TlsVerify::Insecure;
  o.username = "nobody";
  o.password = "pw";
  o.retry.max_attempts = 3;
  o.retry.initial_backoff = 20ms;
  int retries = 0;
  client::SessionHandlers h;
  h.on_retry = [&](const client::ClientError& e, std::chrono::milliseconds) {
    CHECK(e.kind == ErrorKind::Refused);
    ++retries;
  };
  client::BlockingSession s{o, h};
  const auto e = run_to_failure(s);
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Refused);
  CHECK(e->message.find(std::to_string(o.connect.port)) != std::string::npos);
  CHECK(retries == 2);
  CHECK(s.session().stats().reconnects == 2);
}

TEST_CASE("session: the server refuses a protocol version it does not speak") {
  nettest::TestServer server;
  client::SessionOptions o = options_for(server, "henry");
  o.protocol_version = protocol::kProtocolVersion + 1;
  client::BlockingSession s{o};
  const auto e = run_to_failure(s);
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::ProtocolVersion);
  REQUIRE(e->server_error.has_value());
  CHECK(e->server_error->code == protocol::ErrorCode::UnsupportedProtocolVersion);
  CHECK(s.session().stats().reconnects == 0);
}

TEST_CASE("session: login to an unknown account fails with the server's error") {
  nettest::TestServer server;
  client::SessionOptions o = options_for(server, "ivy");
  o.login = client::LoginMode::Login;
  client::BlockingSession s{o};
  const auto e = run_to_failure(s);
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Server);
  REQUIRE(e->server_error.has_value());
  CHECK(e->server_error->code == protocol::ErrorCode::InvalidCredentials);
  CHECK(e->message.find("login refused: invalid_credentials") != std::string::npos);
}

TEST_CASE("session: logging in elsewhere closes the older session with the kick reason") {
  nettest::TestServer server;
  client::SessionOptions o = options_for(server, "jack");
  client::BlockingSession first{o};
  REQUIRE_FALSE(first.enter());
  client::BlockingSession second{o};
  REQUIRE_FALSE(second.enter());
  // The first session was kicked; it must not fight back by reconnecting.
  first.run_until([&] { return first.finished(); }, 10s);
  REQUIRE(first.finished());
  const auto& e = first.session().error();
  REQUIRE(e);
  CHECK(e->kind == ErrorKind::Closed);
  REQUIRE(e->kick.has_value());
  CHECK(*e->kick == protocol::KickReason::LoggedInElsewhere);
  CHECK(e->message.find("logged_in_elsewhere") != std::string::npos);
  second.stop();
}

TEST_CASE("session: a server shutdown is retried, then the session gives up") {
  auto server = std::make_unique<nettest::TestServer>();
  client::SessionOptions o = options_for(*server, "kate");
  o.retry.max_attempts = 2;
  o.retry.initial_backoff = 20ms;
  std::vector<client::ErrorKind> retried;
  client::SessionHandlers h;
  h.on_retry = [&](const client::ClientError& e, std::chrono::milliseconds) {
    retried.push_back(e.kind);
  };
  client::BlockingSession s{o, h};
  REQUIRE_FALSE(s.enter());
  // The server stops on another thread while the client keeps reading (as a real one would).
  std::thread stopper{[&] { server->stop(); }};
  s.run_until([&] { return s.finished(); }, 20s);
  stopper.join();
  REQUIRE(s.finished());
  REQUIRE(retried.size() == 2);
  CHECK(retried[0] == ErrorKind::Closed);   // kicked: server_shutdown
  CHECK(retried[1] == ErrorKind::Refused);  // nobody listens any more
  REQUIRE(s.session().error());
  CHECK(s.session().error()->kind == ErrorKind::Refused);
}

TEST_CASE("connection: requests are answered in order, errors are values") {
  nettest::TestServer server;
  boost::asio::io_context ioc;
  client::ConnectOptions co;
  co.port = server.port();
  co.verify = client::TlsVerify::CaFile;
  co.ca_file = server.cert.cert_path;
  client::Connection c{ioc.get_executor(), co};
  std::optional<client::ClientError> connected{client::ClientError{}};
  std::vector<std::string> answers;
  c.connect([&](std::optional<client::ClientError> e) {
    connected = e;
    if (e) return;
    // Before hello: the server answers hello_required, an error value for this request.
    c.login("lena", "pw", [&](auto r) {
      if (r.ok()) return answers.push_back("characters");
      const std::optional<protocol::ProtocolError>& server_error = r.error().server_error;
      answers.push_back(server_error ? std::string{protocol::to_string(server_error->code)}
                                     : "no server error");
    });
    c.hello([&](auto r) { answers.push_back(r.ok() ? "welcome" : client::describe(r.error())); });
    c.register_account("lena", "pw", [&](auto r) {
      answers.push_back(r.ok() ? "characters" : client::describe(r.error()));
    });
    c.ping(42, [&](auto r) {
      answers.push_back(r.ok() && r.value().nonce == 42 ? "pong" : "bad pong");
      c.close();
    });
  });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (answers.size() < 4 && std::chrono::steady_clock::now() < deadline)
    ioc.run_one_for(20ms);
  REQUIRE_FALSE(connected.has_value());
  CHECK(c.peer_fingerprint() == server.cert.sha256_fingerprint_hex);
  REQUIRE(answers.size() == 4);
  CHECK(answers[0] == "hello_required");
  CHECK(answers[1] == "welcome");
  CHECK(answers[2] == "characters");
  CHECK(answers[3] == "pong");
  CHECK(c.stats().messages_out == 4);
  CHECK(c.stats().messages_in == 4);
}

TEST_CASE("session: both ends of a game connection send at once (TCP_NODELAY), not after Nagle") {
  nettest::TestServer server;
  client::BlockingSession s{options_for(server, "nagle")};
  const auto e = s.enter();
  REQUIRE_MESSAGE(!e, client::describe(*e));
  int client_ends = 0, server_ends = 0;
  for (const TcpSocket& t : tcp_sockets()) {
    if (t.peer_port == server.port()) {  // the client library's connection
      ++client_ends;
      CHECK(t.no_delay);
    } else if (t.local_port == server.port()) {  // accepted by the server
      ++server_ends;
      CHECK(t.no_delay);
    }
  }
  CHECK(client_ends == 1);
  CHECK(server_ends == 1);
}
