// The login screen's errors, in words and in bounded time: nothing listening, a certificate that
// does not match the pin, a wrong password; and the disconnected screen after a kick.

#include <doctest/doctest.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>

#include "app.hpp"
#include "options.hpp"
#include "test_server.hpp"
#include "ui_driver.hpp"
#include "words.hpp"

namespace {

using sfml_client::ScreenKind;
using namespace std::chrono_literals;

// A port on 127.0.0.1 that nothing listens on (bound, then released).
std::uint16_t closed_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

sf::FloatRect widget(sfml_client::App& app, std::string_view name) {
  const auto r = app.screen().find(name);
  REQUIRE_MESSAGE(r.has_value(), "no widget \"" << name << "\"");
  return *r;
}

sfml_client::AppOptions base_options() {
  sfml_client::AppOptions o;
  o.procedural_tiles = true;
  o.vsync = false;
  o.retry_attempts = 1;
  o.cache_dir = std::filesystem::temp_directory_path() / "alphammo-ui-test-cache";
  return o;
}

// Logs in from the login screen and waits (bounded) until the session is over.
std::string login_error(sfml_client::AppOptions o, const std::string& user, const std::string& pw,
                        std::chrono::milliseconds bound) {
  sfml_client::App app(std::move(o));
  uitest::Driver d{app};
  d.frames(1);
  d.click(widget(app, "Username"));
  d.type(user);
  d.key(sf::Keyboard::Tab);
  d.type(pw);
  const auto start = std::chrono::steady_clock::now();
  d.key(sf::Keyboard::Enter);
  const bool ended = d.until([&] { return app.last_error().has_value(); }, bound);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_MESSAGE(ended, "no error within " << bound.count() << " ms");
  CHECK(took < bound);
  d.frames(2);
  CHECK(d.screen() == ScreenKind::Login);
  return sfml_client::failure_words(*app.last_error());
}

}  // namespace

TEST_CASE("client errors: nothing listening is refused in words, at once") {
  auto o = base_options();
  o.connect.host = "127.0.0.1";
  o.connect.port = closed_port();
  o.connect.verify = client::TlsVerify::Insecure;
  o.connect.warn_insecure = false;
  const std::string words = login_error(o, "someone", "pw", 5s);
  CHECK_MESSAGE(words.find("refused the connection") != std::string::npos, words);
}

TEST_CASE("client errors: a certificate that does not match the pin") {
  nettest::TestServer server;
  auto o = base_options();
  o.connect.host = "127.0.0.1";
  o.connect.port = server.port();
  o.connect.verify = client::TlsVerify::Pin;
  o.connect.pin = std::string(64, '0');
  const std::string words = login_error(o, "someone", "pw", 8s);
  CHECK_MESSAGE(words.find("does not match the pinned fingerprint") != std::string::npos, words);
}

TEST_CASE("client errors: an untrusted certificate names its fingerprint") {
  nettest::TestServer server;
  auto o = base_options();
  o.connect.host = "localhost";
  o.connect.port = server.port();
  o.connect.verify = client::TlsVerify::System;  // a self-signed certificate is not trusted
  const std::string words = login_error(o, "someone", "pw", 8s);
  CHECK_MESSAGE(words.find("not trusted") != std::string::npos, words);
  const auto fingerprint = sfml_client::certificate_fingerprint(server.cert.cert_path);
  REQUIRE(fingerprint.ok());
  CHECK_MESSAGE(words.find(fingerprint.value()) != std::string::npos, words);
}

TEST_CASE("client errors: a server at its connection limit says it may be full") {
  nettest::TestServerOptions so;
  so.max_connections = 0;
  nettest::TestServer server(so);
  auto o = base_options();
  o.connect.host = "127.0.0.1";
  o.connect.port = server.port();
  o.connect.verify = client::TlsVerify::Pin;
  o.connect.pin = sfml_client::certificate_fingerprint(server.cert.cert_path).value();
  const std::string words = login_error(o, "someone", "pw", 8s);
  CHECK_MESSAGE(words.find("may be full") != std::string::npos, words);
}

TEST_CASE("client errors: a wrong password, and the right one after it") {
  nettest::TestServer server;
  {
    nettest::WsClient c(server);
    (void)c.join("ui_bob", "Bob", "right-password");
  }
  auto o = base_options();
  o.connect.host = "localhost";
  o.connect.port = server.port();
  o.connect.verify = client::TlsVerify::CaFile;
  o.connect.ca_file = server.cert.cert_path;
  const std::string words = login_error(o, "ui_bob", "wrong-password", 8s);
  CHECK(words == "Wrong username or password.");

  sfml_client::App app(o);
  uitest::Driver d{app};
  d.frames(1);
  d.click(widget(app, "Username"));
  d.type("ui_bob");
  d.key(sf::Keyboard::Tab);
  d.type("right-password");
  d.click(widget(app, "Log in"));
  const bool in = d.until([&] { return d.screen() == ScreenKind::Characters; });
  REQUIRE_MESSAGE(
      in, "screen " << sfml_client::to_string(d.screen()) << ", status \"" << app.status()
                    << "\", error: "
                    << (app.last_error() ? client::describe(*app.last_error()) : "none")
                    << ", session "
                    << (app.session() ? std::string(client::to_string(app.session()->state()))
                                      : "none"));
  REQUIRE(d.until([&] { return app.session()->characters().list.size() == 1; }));
  CHECK(app.session()->characters().list.front().name == "Bob");
}

TEST_CASE("client errors: kicked from the game shows why, and reconnects by hand") {
  nettest::TestServer server;
  auto o = base_options();
  o.connect.host = "localhost";
  o.connect.port = server.port();
  o.connect.verify = client::TlsVerify::CaFile;
  o.connect.ca_file = server.cert.cert_path;
  o.user = "ui_kim";
  o.password = "pw-kim";
  o.register_account = true;
  o.character = "Kim";
  sfml_client::App app(o);
  uitest::Driver d{app};
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Game && d.mirror().entered(); }));
  // The same account logs in elsewhere: the client is kicked, and does not fight back.
  {
    nettest::WsClient other(server);
    other.hello();
    REQUIRE(std::holds_alternative<protocol::CharacterList>(
        other.request(protocol::Login{"ui_kim", "pw-kim"})));
    REQUIRE(d.until([&] { return d.screen() == ScreenKind::Disconnected; }, 10s));
  }
  REQUIRE(app.last_error().has_value());
  CHECK(sfml_client::failure_words(*app.last_error()) ==
        "Your account logged in from somewhere else.");
  d.frames(2);
  d.click(widget(app, "Reconnect"));
  REQUIRE(d.until([&] { return d.screen() == ScreenKind::Game && d.mirror().entered(); }, 15s));
  CHECK(d.mirror().character().name == "Kim");
}

TEST_CASE(
    "client: --vocation creates the scripted character, and an unknown one names the world's") {
  nettest::TestServer server;
  auto o = base_options();
  o.connect.host = "localhost";
  o.connect.port = server.port();
  o.connect.verify = client::TlsVerify::CaFile;
  o.connect.ca_file = server.cert.cert_path;
  o.user = "ui_robin";
  o.password = "pw-robin";
  o.register_account = true;
  o.character = "Robin";
  o.vocation = "archer";
  {
    sfml_client::App app(o);
    uitest::Driver d{app};
    REQUIRE(d.until([&] { return d.screen() == ScreenKind::Game && d.mirror().entered(); }));
    CHECK(d.mirror().character().name == "Robin");
    CHECK(d.mirror().character().vocation == 1);  // data/vocations.json: knight, archer, mage
  }
  o.user = "ui_merlin";
  o.password = "pw-merlin";
  o.character = "Merlin";
  o.vocation = "wizard";
  sfml_client::App app(o);
  uitest::Driver d{app};
  REQUIRE(d.until([&] { return app.last_error().has_value(); }));
  CHECK(app.last_error()->message ==
        "--vocation: the world has no vocation \"wizard\" (it has knight, archer, mage)");
  d.frames(2);
  CHECK(d.screen() == ScreenKind::Characters);
}
