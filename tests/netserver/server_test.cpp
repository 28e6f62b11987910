// The whole server in-process, over real TLS on 127.0.0.1: accounts, characters, the world's
// delta stream between two clients, throttling, one session per account, bad messages, floods,
// clients that stop reading, and the recording of a session.

#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>

#include <sched.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <variant>
#include <vector>

#include "netserver/store.hpp"
#include "test_server.hpp"
#include "world/recording.hpp"

namespace {

using namespace nettest;
using protocol::ErrorCode;

// The value of one metric in the /metrics text, or -1.
long long metric(const TestServer& server, const std::string& name) {
  const auto got = https_get(server, "/metrics");
  if (got.ec) return -1;
  const std::string& body = got.response.body();
  const auto at = body.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(body.substr(at + name.size() + 2));
}

// Waits (bounded) until `ok` holds.
template <class Pred>
bool eventually(Pred ok, std::chrono::milliseconds limit = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ok()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return ok();
}

// This process's threads named `name` (/proc/self/task/*/comm), by thread id.
std::vector<pid_t> threads_named(const std::string& name) {
  std::vector<pid_t> found;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm{task.path() / "comm"};
    std::string line;
    if (std::getline(comm, line) && line == name)
      found.push_back(static_cast<pid_t>(std::stol(task.path().filename().string())));
  }
  return found;
}

// A TLS client over memory buffers (OpenSSL), its bytes carried by the test; made, it has its
// ClientHello ready in output().
struct MemoryTlsClient {
  ssl::context ctx;
  SSL* ssl;
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  explicit MemoryTlsClient(const TestServer& server)
      : ctx(verifying_context(server.cert.cert_path)), ssl(SSL_new(ctx.native_handle())) {
    REQUIRE(ssl != nullptr);
    SSL_set_bio(ssl, in, out);  // owned by ssl from here
    SSL_set_connect_state(ssl);
    REQUIRE(SSL_do_handshake(ssl) != 1);  // wants the server's answer
  }
  ~MemoryTlsClient() { SSL_free(ssl); }
  MemoryTlsClient(const MemoryTlsClient&) = delete;
  MemoryTlsClient& operator=(const MemoryTlsClient&) = delete;
  // What OpenSSL wrote to send.
  std::string output() {
    std::string bytes(static_cast<std::size_t>(BIO_ctrl_pending(out)), '\0');
    if (!bytes.empty()) BIO_read(out, bytes.data(), static_cast<int>(bytes.size()));
    return bytes;
  }
};

// A real ClientHello for `server`.
std::string client_hello(const TestServer& server) {
  MemoryTlsClient client{server};
  return client.output();
}

// The scheduling policy of thread `tid`, without the reset-on-fork flag.
int policy_of(pid_t tid) {
  return ::sched_getscheduler(tid) & ~SCHED_RESET_ON_FORK;
}

const world::EntityState* find(const protocol::Snapshot& s, world::EntityId id) {
  const auto it = std::find_if(s.entities.begin(), s.entities.end(),
                               [&](const world::EntityState& e) { return e.id == id; });
  return it == s.entities.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("server: register, create, enter, move, a second player sees the move") {
  TestServer server;
  WsClient alice{server};
  alice.hello();

  // Register answers the (empty) character list; creating one answers the new list.
  auto list = alice.request(protocol::Register{"Alice", "correct horse"});
  REQUIRE(std::holds_alternative<protocol::CharacterList>(list));
  CHECK(std::get<protocol::CharacterList>(list).list.empty());
  alice.send_message(protocol::CreateCharacter{"Zoe", 1, 2, 0x884422});
  const auto created = alice.expect<protocol::CharacterList>();
  REQUIRE(created.list.size() == 1);
  CHECK(created.list[0].name == "Zoe");
  CHECK(created.list[0].level == 1);
  CHECK(created.list[0].look.hair_colour == 0x884422);
  alice.send_message(protocol::CreateCharacter{"zoe", 1, 0, 0});
  alice.expect_error(ErrorCode::CharacterNameTaken);
  alice.send_message(protocol::CreateCharacter{"9lives", 1, 0, 0});
  alice.expect_error(ErrorCode::CharacterNameInvalid);

  // Character messages need a login; commands need the world.
  WsClient bob{server};
  bob.hello();
  bob.send_message(protocol::ListCharacters{});
  bob.expect_error(ErrorCode::NotLoggedIn);
  bob.send_message(protocol::ClientCommand{9, world::Move{world::Direction::East}});
  CHECK(bob.expect_error(ErrorCode::NotInWorld).ref == protocol::ErrorRef{std::uint32_t{9}});
  bob.send_message(protocol::EnterWorld{created.list[0].id});
  bob.expect_error(ErrorCode::NotLoggedIn);

  const auto entered = alice.request(protocol::EnterWorld{created.list[0].id});
  REQUIRE(std::holds_alternative<protocol::Entered>(entered));
  const protocol::Entered a = std::get<protocol::Entered>(entered);
  CHECK(a.character.name == "Zoe");
  REQUIRE(find(a.snapshot, a.you) != nullptr);
  const protocol::Entered b = bob.join("bob", "Max");
  // Both stand at the temple, within each other's view.
  REQUIRE(find(b.snapshot, a.you) != nullptr);

  // In the world, character messages are refused; a second enter too.
  alice.send_message(protocol::ListCharacters{});
  alice.expect_error(ErrorCode::AlreadyInWorld);

  // Alice walks; Bob's tick messages show it (moved, or a step refused and retried).
  const world::Position start = find(b.snapshot, a.you)->position;
  std::optional<world::Position> seen;
  const world::Direction dirs[] = {world::Direction::East, world::Direction::West,
                                   world::Direction::North, world::Direction::South};
  for (int attempt = 0; attempt < 4 && !seen; ++attempt) {
    const std::uint32_t seq = alice.command(world::Move{dirs[attempt]});
    const auto acked =
        alice.tick_until([&](const protocol::TickMessage& t) { return t.ack_seq >= seq; });
    REQUIRE(acked);
    const bool refused = std::any_of(acked->rejections.begin(), acked->rejections.end(),
                                     [&](const world::Rejection& r) { return r.seq == seq; });
    if (refused) continue;
    const auto saw = bob.tick_until([&](const protocol::TickMessage& t) {
      return std::any_of(t.deltas.begin(), t.deltas.end(), [&](const world::Delta& d) {
        const auto* m = std::get_if<world::Moved>(&d);
        return m != nullptr && m->id == a.you;
      });
    });
    REQUIRE(saw);
    for (const auto& d : saw->deltas) {
      if (const auto* m = std::get_if<world::Moved>(&d); m && m->id == a.you) seen = m->to;
    }
  }
  REQUIRE(seen);
  CHECK(world::chebyshev(*seen, start) == 1);

  // Leaving answers the character list; Bob sees Alice removed.
  const auto left = alice.request(protocol::LeaveWorld{});
  REQUIRE(std::holds_alternative<protocol::CharacterList>(left));
  const auto removed = bob.tick_until([&](const protocol::TickMessage& t) {
    return std::any_of(t.deltas.begin(), t.deltas.end(), [&](const world::Delta& d) {
      const auto* r = std::get_if<world::Removed>(&d);
      return r != nullptr && r->id == a.you && r->reason == world::RemoveReason::Left;
    });
  });
  CHECK(removed);
  // Out of the world again: commands are refused, character messages work.
  alice.send_message(protocol::ClientCommand{50, world::Face{world::Direction::North}});
  alice.expect_error(ErrorCode::NotInWorld);
  alice.send_message(protocol::ListCharacters{});
  CHECK(alice.expect<protocol::CharacterList>().list.size() == 1);
}

TEST_CASE(
    "server: a mage is created with its kit and casts, a cast within the cooldown is refused") {
  TestServer server;
  WsClient c{server};
  c.hello();
  REQUIRE(std::holds_alternative<protocol::CharacterList>(
      c.request(protocol::Register{"Merlin", "correct horse"})));
  // The shipped content has three vocations: 0 knight, 1 archer, 2 mage.
  protocol::CreateCharacter unknown{"Nobody", 1, 0, 0};
  unknown.vocation = 3;
  c.send_message(unknown);
  const protocol::ProtocolError bad = c.expect_error(ErrorCode::BadField);
  CHECK(bad.message == "create_character.vocation: no vocation 3 (this world has 3)");
  protocol::CreateCharacter mage{"Merlin", 1, 2, 0x884422};
  mage.vocation = 2;
  const auto list = std::get<protocol::CharacterList>(c.request(mage));
  REQUIRE(list.list.size() == 1);
  CHECK(list.list[0].vocation == 2);
  CHECK(list.list[0].look.weapon != 0);  // the staff of the mage's kit, worn
  const auto entered =
      std::get<protocol::Entered>(c.request(protocol::EnterWorld{list.list[0].id}));
  const world::Vocation& v = server.bundle.config.vocations[2];
  CHECK(entered.character.vocation == 2);
  CHECK(entered.character.max_mp == v.max_mp);
  CHECK(entered.character.mp == v.max_mp);
  // A self heal at full HP: the mana is spent and the cast is seen.
  const std::uint32_t heal = static_cast<std::uint32_t>(
      std::find_if(server.bundle.config.spells.begin(), server.bundle.config.spells.end(),
                   [](const world::SpellType& s) { return s.key == "heal"; }) -
      server.bundle.config.spells.begin());
  REQUIRE(heal < server.bundle.config.spells.size());
  c.command(world::Cast{heal, {}, {}});
  const auto cast = c.tick_until([&](const protocol::TickMessage& t) {
    return std::any_of(t.deltas.begin(), t.deltas.end(), [&](const world::Delta& d) {
      const auto* s = std::get_if<world::SpellCast>(&d);
      return s != nullptr && s->caster == entered.you && s->spell == heal;
    });
  });
  REQUIRE(cast);
  // A fire bolt right after: refused (the heal's cooldown), by its seq.
  std::uint32_t bolt = 0;
  while (bolt < server.bundle.config.spells.size() &&
         server.bundle.config.spells[bolt].key != "fire_bolt")
    ++bolt;
  REQUIRE(bolt < server.bundle.config.spells.size());
  const std::uint32_t seq = c.command(world::Cast{bolt, {}, {}});
  const auto refused = c.tick_until([&](const protocol::TickMessage& t) {
    return std::any_of(t.rejections.begin(), t.rejections.end(), [&](const world::Rejection& r) {
      return r.seq == seq && r.reason == world::RejectReason::Cooldown;
    });
  });
  CHECK(refused);
}

TEST_CASE("server: wrong passwords, throttling, one answer for unknown users") {
  TestServer server;
  WsClient c{server};
  c.hello();
  REQUIRE(std::holds_alternative<protocol::CharacterList>(
      c.request(protocol::Register{"carol", "right one"})));
  WsClient d{server};
  d.hello();
  const auto unknown = d.request(protocol::Login{"nobody", "whatever"});
  REQUIRE(std::holds_alternative<protocol::ProtocolError>(unknown));
  const auto& unknown_error = std::get<protocol::ProtocolError>(unknown);
  CHECK(unknown_error.code == ErrorCode::InvalidCredentials);
  for (int i = 0; i < 5; ++i) {
    d.send_message(protocol::Login{"carol", "wrong"});
    const auto e = d.expect_error(ErrorCode::InvalidCredentials);
    CHECK(e.message == unknown_error.message);  // not told apart
  }
  // Locked now, even with the right password.
  d.send_message(protocol::Login{"carol", "right one"});
  const auto locked = d.expect_error(ErrorCode::LoginThrottled);
  // A name no account has is locked alike: throttling does not tell names apart either (its
  // first failure was the first login above).
  for (int i = 1; i < 5; ++i) {
    d.send_message(protocol::Login{"nobody", "wrong"});
    CHECK(d.expect_error(ErrorCode::InvalidCredentials).message == unknown_error.message);
  }
  d.send_message(protocol::Login{"nobody", "right one"});
  CHECK(d.expect_error(ErrorCode::LoginThrottled).message == locked.message);
  d.send_message(protocol::Register{"carol", "x"});
  d.expect_error(ErrorCode::UsernameTaken);
  d.send_message(protocol::Register{"no", "x"});
  d.expect_error(ErrorCode::UsernameInvalid);
  // After the lock (1 s) the right password works.
  std::this_thread::sleep_for(1100ms);
  CHECK(std::holds_alternative<protocol::CharacterList>(
      d.request(protocol::Login{"CAROL", "right one"})));
  d.send_message(protocol::Login{"carol", "right one"});
  d.expect_error(ErrorCode::AlreadyLoggedIn);
}

TEST_CASE("server: another account's character is no_such_character, online or not") {
  TestServer server;
  WsClient alice{server};
  const protocol::Entered a = alice.join("alice", "Zoe");
  const world::CharacterId zoe = a.character.id;
  WsClient mallory{server};
  mallory.hello();
  REQUIRE(std::holds_alternative<protocol::CharacterList>(
      mallory.request(protocol::Register{"mallory", "secret"})));

  // Zoe is online: the answers are those of an id that is not the account's, word for word
  // the same once she is offline.
  mallory.send_message(protocol::EnterWorld{zoe});
  const auto enter_online = mallory.expect_error(ErrorCode::NoSuchCharacter);
  mallory.send_message(protocol::DeleteCharacter{zoe});
  const auto delete_online = mallory.expect_error(ErrorCode::NoSuchCharacter);
  // Alice plays on, unharmed.
  CHECK(std::get<protocol::Pong>(alice.request(protocol::Ping{3})).nonce == 3);
  REQUIRE(std::holds_alternative<protocol::CharacterList>(alice.request(protocol::LeaveWorld{})));
  mallory.send_message(protocol::EnterWorld{zoe});
  CHECK(mallory.expect_error(ErrorCode::NoSuchCharacter).message == enter_online.message);
  mallory.send_message(protocol::DeleteCharacter{zoe});
  CHECK(mallory.expect_error(ErrorCode::NoSuchCharacter).message == delete_online.message);
  // Zoe is still Alice's, and she enters again.
  CHECK(std::holds_alternative<protocol::Entered>(alice.request(protocol::EnterWorld{zoe})));
}

TEST_CASE("server: a rate_limited message's error names it: a command by its seq") {
  TestServerOptions o;
  o.messages_per_second = 1;
  o.message_burst = 8;
  o.violation_limit = 1000;
  TestServer server{o};
  WsClient c{server};
  c.join("rita", "Rita");  // 4 of the 8 tokens
  constexpr std::uint32_t kFirst = 100;
  for (std::uint32_t seq = kFirst; seq < kFirst + 12; ++seq) {
    c.send_message(protocol::ClientCommand{seq, world::Face{world::Direction::North}});
  }
  c.send(protocol::encode(protocol::Ping{5}));
  c.send("{not json");
  // Errors until the last one sent (the malformed one, whose ref is null).
  std::vector<protocol::ErrorRef> refs;
  for (int i = 0; i < 2000; ++i) {
    auto m = c.receive_message();
    if (const auto* e = std::get_if<protocol::ProtocolError>(&m)) {
      CHECK(e->code == ErrorCode::RateLimited);
      refs.push_back(e->ref);
      if (std::holds_alternative<std::monostate>(e->ref)) break;
    }
  }
  // At most about 4 tokens were left: the other commands were dropped, each named by its seq,
  // in order up to the last; then the ping by its type; the malformed one could not be read.
  REQUIRE(refs.size() >= 8);
  const std::size_t commands = refs.size() - 2;
  for (std::size_t i = 0; i < commands; ++i) {
    const auto* seq = std::get_if<std::uint32_t>(&refs[i]);
    REQUIRE_MESSAGE(seq != nullptr, "ref " << i << " is not a seq");
    CHECK(*seq == kFirst + 12 - commands + i);
  }
  CHECK(refs[commands] == protocol::ErrorRef{std::string{"ping"}});
}

TEST_CASE("server: a second login kicks the first session, the character changes hands") {
  TestServer server;
  WsClient first{server};
  const protocol::Entered e1 = first.join("dave", "Dave");
  WsClient second{server};
  second.hello();
  const auto list = second.request(protocol::Login{"dave", "secret"});
  REQUIRE(std::holds_alternative<protocol::CharacterList>(list));

  std::vector<std::string> seen;
  const auto ec = first.until_closed(&seen);
  CHECK(ec == websocket::error::closed);
  CHECK(first.ws.reason().code == websocket::close_code::policy_error);
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back() == R"({"reason":"logged_in_elsewhere","type":"kicked"})");

  // The new session enters the same character (after the old one left and was saved).
  const auto entered =
      second.request(protocol::EnterWorld{std::get<protocol::CharacterList>(list).list.front().id});
  REQUIRE_MESSAGE(std::holds_alternative<protocol::Entered>(entered), protocol::encode(entered));
  CHECK(std::get<protocol::Entered>(entered).character.id == e1.character.id);
}

TEST_CASE("server: bad messages get their error and the session goes on, others unharmed") {
  TestServer server;
  WsClient other{server};
  other.hello();
  WsClient c{server};
  c.hello();
  REQUIRE_FALSE(c.send("{\"type\": \"login\", "));
  c.expect_error(ErrorCode::MalformedJson);
  REQUIRE_FALSE(c.send("\"login\""));
  c.expect_error(ErrorCode::NotAnObject);
  REQUIRE_FALSE(c.send(R"({"type": "teleport"})"));
  c.expect_error(ErrorCode::UnknownType);
  REQUIRE_FALSE(c.send(R"({"type": "login", "username": 7, "password": "x"})"));
  const auto wrong_type = c.expect_error(ErrorCode::BadField);
  CHECK(wrong_type.message.find("login.username") != std::string::npos);
  REQUIRE_FALSE(c.send(R"({"type": "login", "username": "x"})"));
  CHECK(c.expect_error(ErrorCode::MissingField).message == "login.password: missing");
  REQUIRE_FALSE(c.send(R"({"type": "command", "seq": 3, "command": {"type": "join"}})"));
  CHECK(c.expect_error(ErrorCode::BadField).ref == protocol::ErrorRef{std::uint32_t{3}});
  REQUIRE_FALSE(
      c.send(R"({"type": "ping", "nonce": 1, "pad": ")" + std::string(17000, 'x') + "\"}"));
  c.expect_error(ErrorCode::MessageTooLarge);
  // Unknown fields are ignored.
  REQUIRE_FALSE(c.send(R"({"type": "ping", "nonce": 5, "extra": [1, 2]})"));
  CHECK(c.expect<protocol::Pong>().nonce == 5);

  // A binary frame closes that session with a policy error; the other one is served.
  REQUIRE_FALSE(c.send(protocol::encode(protocol::Ping{6}), /*binary=*/true));
  CHECK(c.until_closed() == websocket::error::closed);
  CHECK(c.ws.reason().code == websocket::close_code::policy_error);
  CHECK(std::get<protocol::Pong>(other.request(protocol::Ping{77})).nonce == 77);
}

TEST_CASE("server: a flood is rate limited, then kicked, others unharmed") {
  TestServerOptions o;
  o.messages_per_second = 20;
  o.message_burst = 20;
  o.violation_limit = 30;
  TestServer server{o};
  WsClient other{server};
  other.hello();
  WsClient c{server};
  // 200 pings at once: 20 answered, then rate_limited errors, then the kick.
  for (int i = 0; i < 200; ++i) {
    if (c.send(protocol::encode(protocol::Ping{static_cast<std::uint64_t>(i)}))) break;
  }
  std::vector<std::string> seen;
  CHECK(c.until_closed(&seen) == websocket::error::closed);
  CHECK(c.ws.reason().code == websocket::close_code::policy_error);
  const auto count = [&](std::string_view needle) {
    return std::count_if(seen.begin(), seen.end(),
                         [&](const std::string& s) { return s.find(needle) != std::string::npos; });
  };
  CHECK(count("\"pong\"") >= 20);
  CHECK(count("\"pong\"") < 60);
  CHECK(count("rate_limited") >= 30);
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back() == R"({"reason":"protocol_violation","type":"kicked"})");
  CHECK(std::get<protocol::Pong>(other.request(protocol::Ping{1})).nonce == 1);
}

TEST_CASE("server: an idle client is kicked") {
  TestServerOptions o;
  o.idle_timeout = 300ms;
  TestServer server{o};
  WsClient c{server};
  c.hello();
  std::vector<std::string> seen;
  CHECK(c.until_closed(&seen) == websocket::error::closed);
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.back() == R"({"reason":"idle","type":"kicked"})");
}

TEST_CASE("server: WebSocket ping frames do not keep a session from the idle kick") {
  TestServerOptions o;
  o.idle_timeout = 400ms;
  // The client reads nothing while it pings: the kicked session must wait for its close longer
  // than the pinging lasts, or its cut-off (with the unread pings) resets the connection and
  // the client loses the kicked message it had not read yet.
  o.close_timeout = 5s;
  TestServer server{o};
  WsClient c{server};
  c.hello();
  // Ping frames every 100 ms (the server's WebSocket layer answers them) for up to 2 s: the
  // kick comes anyway, after the idle timeout; only messages count.
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < 2s) {
    if (run_op(c.ioc, [&](auto handler) { c.ws.async_ping({}, std::move(handler)); })) break;
    std::this_thread::sleep_for(100ms);
  }
  std::vector<std::string> seen;
  (void)c.until_closed(&seen);
  CHECK(std::find(seen.begin(), seen.end(), R"({"reason":"idle","type":"kicked"})") != seen.end());
}

// A permessage-deflate client whose messages compress to a few hundred bytes on the wire.
struct DeflateClient {
  net::io_context ioc;
  ssl::context ctx;
  WsStream ws;
  beast::flat_buffer buffer;
  explicit DeflateClient(const TestServer& server)
      : ctx(verifying_context(server.cert.cert_path)), ws(ioc, ctx) {
    REQUIRE_FALSE(connect_tls(ioc, ws.next_layer(), server.port()));
    websocket::permessage_deflate deflate;
    deflate.client_enable = true;
    ws.set_option(deflate);
    REQUIRE_FALSE(run_op(
        ioc, [&](auto handler) { ws.async_handshake("localhost", "/", std::move(handler)); }));
  }
  beast::error_code send(const std::string& text) {
    return run_op(ioc,
                  [&](auto handler) { ws.async_write(net::buffer(text), std::move(handler)); });
  }
  std::variant<std::string, beast::error_code> receive() {
    buffer.consume(buffer.size());
    const auto ec = run_op(ioc, [&](auto handler) { ws.async_read(buffer, std::move(handler)); });
    if (ec) return ec;
    return beast::buffers_to_string(buffer.data());
  }
};

TEST_CASE("server: the message limits count the text after decompression") {
  TestServer server;
  DeflateClient c{server};
  const auto padded = [](std::size_t pad) {
    return R"({"type": "ping", "nonce": 1, "pad": ")" + std::string(pad, 'x') + "\"}";
  };
  // 20 KiB of text, a few hundred bytes compressed: message_too_large, the session goes on.
  REQUIRE_FALSE(c.send(padded(20 * 1024)));
  auto got = c.receive();
  REQUIRE(std::holds_alternative<std::string>(got));
  CHECK(std::get<std::string>(got).find("message_too_large") != std::string::npos);
  REQUIRE_FALSE(c.send(padded(16)));
  got = c.receive();
  REQUIRE(std::holds_alternative<std::string>(got));
  CHECK(std::get<std::string>(got).find("pong") != std::string::npos);
  // 100 KiB of text, still small compressed: the connection is closed with 1009.
  (void)c.send(padded(100 * 1024));
  got = c.receive();
  REQUIRE(std::holds_alternative<beast::error_code>(got));
  CHECK(std::get<beast::error_code>(got) == websocket::error::closed);
  CHECK(c.ws.reason().code == websocket::close_code::too_big);
}

TEST_CASE("server: a client that stops reading is disconnected, the server's queue stays bounded") {
  TestServerOptions o;
  o.send_queue_limit = 8;
  o.socket_send_buffer = 16 * 1024;
  o.message_burst = 100000;
  o.messages_per_second = 100000;
  TestServer server{o};
  // A small receive buffer: the server's writes stall soon after the client stops reading.
  WsClient c{server, 4096};
  c.hello();
  const std::string ping = protocol::encode(protocol::Ping{1234567890123ULL});
  // Pings until the server gives up on this client (the writes fail once it closed).
  int sent = 0;
  for (; sent < 200000; ++sent) {
    if (c.send(ping)) break;
    if (sent % 1000 == 999 && server.server->metrics().kicks > 0) break;
  }
  CHECK(eventually([&] { return server.server->metrics().kicks == 1; }, 20s));
  CHECK(eventually([&] { return server.server->metrics().connected_clients == 0; }, 20s));
  // Another client is served.
  WsClient other{server};
  const auto pong = other.request(protocol::Ping{3});
  REQUIRE_MESSAGE(std::holds_alternative<protocol::Pong>(pong), protocol::encode(pong));
  CHECK(std::get<protocol::Pong>(pong).nonce == 3);
}

TEST_CASE("server: /metrics counts players, ticks, messages and saves") {
  TestServer server;
  WsClient c{server};
  c.join("erin", "Erin");
  // A command, so that a tick message (its acknowledgement) is sent and timed.
  const std::uint32_t seq = c.command(world::Face{world::Direction::North});
  REQUIRE(c.tick_until([&](const protocol::TickMessage& t) { return t.ack_seq >= seq; }));
  CHECK(eventually([&] { return metric(server, "alphammo_players") == 1; }));
  CHECK(metric(server, "alphammo_connected_clients") == 1);
  CHECK(metric(server, "alphammo_tick") > 0);
  CHECK(metric(server, "alphammo_messages_in_total") >= 4);
  c.request(protocol::LeaveWorld{});
  CHECK(eventually([&] { return metric(server, "alphammo_saves_total") >= 1; }));
  CHECK(metric(server, "alphammo_players") == 0);
  // Counted once committed: the last saved tick is the leave's cut, at or before now.
  const long long saved_at = metric(server, "alphammo_last_save_tick");
  CHECK(saved_at > 0);
  CHECK(saved_at <= metric(server, "alphammo_tick"));
  const auto text = https_get(server, "/metrics").response.body();
  CHECK(text.find("# TYPE alphammo_tick_duration_seconds histogram") != std::string::npos);
  CHECK(text.find("alphammo_tick_duration_seconds_bucket{le=\"+Inf\"}") != std::string::npos);
  // Every tick message written was timed from the end of its tick: as many as were written
  // while in the world, and never later than the histogram's last bound for a client that reads.
  const auto m = server.server->metrics();
  std::uint64_t timed = 0;
  for (const std::uint64_t n : m.send_delay_buckets)
    timed += n;
  CHECK(timed > 0);
  CHECK(m.send_delay_buckets.back() == 0);
  CHECK(m.send_delay_us_sum > 0);
  CHECK(metric(server, "alphammo_tick_send_delay_seconds_count") >= static_cast<long long>(timed));
  CHECK(text.find("alphammo_tick_send_delay_seconds_bucket{le=\"0.00005\"}") != std::string::npos);
}

TEST_CASE(
    "server: the threads are named; the simulation thread is real-time when asked and allowed") {
  // Whether this process may use SCHED_FIFO: a thread of its own asks (root, CAP_SYS_NICE or
  // an RLIMIT_RTPRIO of 1 may; an ordinary user or a restricted container may not).
  bool may = false;
  std::thread([&may] {
    sched_param param{};
    param.sched_priority = 1;
    may = ::sched_setscheduler(0, SCHED_FIFO, &param) == 0;
  }).join();
  INFO("this process may use SCHED_FIFO: " << may);

  SUBCASE("asked") {
    TestServerOptions o;
    o.realtime = true;
    TestServer server{o};
    REQUIRE(eventually([] { return threads_named("sim").size() == 1; }));
    const pid_t sim = threads_named("sim").front();
    CHECK(eventually([&] { return policy_of(sim) == (may ? SCHED_FIFO : SCHED_OTHER); }));
    CHECK(eventually([&] { return server.game->metrics().realtime == may; }));
    CHECK(metric(server, "alphammo_simulation_realtime") == (may ? 1 : 0));
    // Everything else stays an ordinary thread.
    for (const char* name : {"io-0", "db", "hash-0"}) {
      INFO(name);
      const auto tids = threads_named(name);
      REQUIRE(!tids.empty());
      CHECK(policy_of(tids.front()) == SCHED_OTHER);
    }
  }
  SUBCASE("not asked") {
    TestServer server;
    REQUIRE(eventually([] { return threads_named("sim").size() == 1; }));
    CHECK(policy_of(threads_named("sim").front()) == SCHED_OTHER);
    CHECK(metric(server, "alphammo_simulation_realtime") == 0);
  }
}

TEST_CASE("server: a recorded session verifies bit for bit, joins and leaves included") {
  TestServerOptions o;
  o.record = true;
  TestServer server{o};
  {
    WsClient a{server};
    WsClient b{server};
    a.join("fay", "Fay");
    b.join("gus", "Gus");
    for (int i = 0; i < 6; ++i) {
      const auto seq =
          a.command(world::Move{i % 2 ? world::Direction::East : world::Direction::West});
      a.command(world::Say{"step " + std::to_string(i)});
      REQUIRE(a.tick_until([&](const protocol::TickMessage& t) { return t.ack_seq >= seq; }));
    }
    a.request(protocol::LeaveWorld{});
  }  // b disconnects without leave_world
  server.stop();

  std::ifstream in(server.recording, std::ios::binary);
  const std::vector<char> raw{std::istreambuf_iterator<char>(in), {}};
  std::vector<std::byte> bytes(raw.size());
  std::transform(raw.begin(), raw.end(), bytes.begin(), [](char ch) { return std::byte(ch); });
  const world::VerifyReport report = world::verify_recording(bytes);
  CHECK_MESSAGE(report.ok, report.error);
  CHECK(report.finished);
  CHECK(report.commands >= 2 + 6 + 2);  // two joins, the says (and moves not refused), two leaves
  CHECK(report.ticks > 10);
}

TEST_CASE("server: a connection that never completes the TLS handshake is dropped") {
  TestServerOptions o;
  o.handshake_timeout = 300ms;
  TestServer server{o};
  net::io_context ioc;
  tcp::socket socket{ioc};
  socket.connect({net::ip::make_address("127.0.0.1"), server.port()});
  CHECK(server.server->metrics().open_connections <= 1);
  SUBCASE("silent") {}
  SUBCASE("half a ClientHello") {
    const std::string hello = client_hello(server);
    net::write(socket, net::buffer(hello.data(), hello.size() / 2));
  }
  // The server closes the connection after its handshake timeout.
  char byte = 0;
  const auto ec = run_op(ioc, [&](auto handler) {
    socket.async_read_some(net::buffer(&byte, 1), std::move(handler));
  });
  CHECK(ec == net::error::eof);
  CHECK(eventually([&] { return server.server->metrics().open_connections == 0; }));
}

TEST_CASE("server: a ClientHello that arrives in pieces is waited for, then the handshake ends") {
  // The server makes its TLS state only once the first record is whole: it must put the pieces
  // together. The client side runs OpenSSL over memory buffers, the bytes go by a raw socket.
  TestServer server;
  net::io_context ioc;
  tcp::socket socket{ioc};
  socket.connect({net::ip::make_address("127.0.0.1"), server.port()});
  MemoryTlsClient client{server};
  const std::string hello = client.output();
  REQUIRE(hello.size() > 20);
  // In three pieces: inside the record header, inside the body, the rest.
  for (const auto& [from, to] :
       {std::pair{std::size_t{0}, std::size_t{3}}, std::pair{std::size_t{3}, hello.size() / 2},
        std::pair{hello.size() / 2, hello.size()}}) {
    net::write(socket, net::buffer(hello.data() + from, to - from));
    std::this_thread::sleep_for(50ms);
  }
  bool done = false;
  for (int round = 0; round < 20 && !done; ++round) {
    std::array<char, 16 * 1024> buffer{};
    std::size_t got = 0;
    const auto ec = run_op(ioc, [&](auto handler) {
      socket.async_read_some(net::buffer(buffer), [&got, handler = std::move(handler)](
                                                      beast::error_code e, std::size_t n) mutable {
        got = n;
        handler(e);
      });
    });
    REQUIRE_FALSE(ec);
    BIO_write(client.in, buffer.data(), static_cast<int>(got));
    done = SSL_do_handshake(client.ssl) == 1;
    const std::string reply = client.output();
    if (!reply.empty()) net::write(socket, net::buffer(reply));
  }
  CHECK(done);
  CHECK(std::string{SSL_get_version(client.ssl)} == "TLSv1.3");
}

TEST_CASE("server: permessage-deflate is negotiated when the client offers it") {
  TestServer server;
  net::io_context ioc;
  ssl::context ctx = verifying_context(server.cert.cert_path);
  WsStream ws{ioc, ctx};
  // Compressed both ways, the session works as usual.
  CHECK(open_offering_deflate(ioc, ws, server.port()));
}
