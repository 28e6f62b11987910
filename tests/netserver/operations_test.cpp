// alphammo-server as an operator runs it: the password hashes it stores (Argon2id at OWASP's
// costs or more), an online backup taken while players play and a restore that gives back the
// same characters, and the TLS it offers, scanned with sslscan (Debian's; skipped without it).

#include <doctest/doctest.h>
#include <openssl/ssl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "netserver/store.hpp"
#include "netserver/tls.hpp"
#include "server_process.hpp"
#include "test_server.hpp"

namespace {

using namespace nettest;
namespace fs = std::filesystem;

// Every stored password hash of the database at `db`, by username.
std::map<std::string, std::string> stored_hashes(const fs::path& db) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::map<std::string, std::string> out;
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT username, password_phc FROM accounts", -1, &q, nullptr) ==
          SQLITE_OK);
  while (sqlite3_step(q) == SQLITE_ROW) {
    out[reinterpret_cast<const char*>(sqlite3_column_text(q, 0))] =
        reinterpret_cast<const char*>(sqlite3_column_text(q, 1));
  }
  sqlite3_finalize(q);
  sqlite3_close(raw);
  return out;
}

// Every character of every account of the database at `db` (a Store opened on it), by id.
std::map<world::CharacterId, world::Character> all_characters(const fs::path& db) {
  auto store = netserver::Store::open(db);
  REQUIRE_MESSAGE(store.ok(), store.error().message);
  std::map<world::CharacterId, world::Character> out;
  for (const char* user : {"ann", "ben"}) {
    const auto account = store.value().find_account(user);
    REQUIRE(account.ok());
    if (!account.value()) continue;
    const auto list = store.value().list_characters(account.value()->id);
    REQUIRE(list.ok());
    for (const auto& c : list.value()) {
      const auto loaded = store.value().load_character(account.value()->id, c.id);
      REQUIRE(loaded.ok());
      out[c.id] = loaded.value();
    }
  }
  return out;
}

protocol::CharacterList expect_list(const protocol::ServerMessage& m) {
  REQUIRE_MESSAGE(std::holds_alternative<protocol::CharacterList>(m), protocol::encode(m));
  return std::get<protocol::CharacterList>(m);
}

}  // namespace

TEST_CASE("passwords: a stored hash is Argon2id with m >= 19 MiB, t >= 2 (the server's defaults)") {
  TempDir dir;
  {
    ServerProcess server{dir.path};
    WsClient c{dir.path / "cert.pem", server.port()};
    c.hello();
    expect_list(c.request(protocol::Register{"pat", "correct horse battery staple"}));
    CHECK(WEXITSTATUS(server.stop(SIGTERM)) == 0);
  }
  const auto hashes = stored_hashes(dir.path / "alphammo.sqlite3");
  REQUIRE(hashes.count("pat") == 1);
  const std::string& phc = hashes.at("pat");
  CAPTURE(phc);
  // $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash> (base64 without padding)
  const std::regex form{
      R"(^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$)"};
  std::smatch m;
  REQUIRE(std::regex_match(phc, m, form));
  CHECK(std::stoul(m[1].str()) >= 19 * 1024);  // OWASP: at least 19 MiB
  CHECK(std::stoul(m[2].str()) >= 2);          // and at least 2 passes
  CHECK(std::stoul(m[3].str()) == 1);
  CHECK(m[4].str().size() >= 22);  // a salt of 16 bytes or more
  CHECK(m[5].str().size() >= 43);  // a hash of 32 bytes or more
  CHECK(phc.find("correct horse") == std::string::npos);
}

TEST_CASE(
    "operations: an online backup during play, then a restore gives back the same characters") {
  TempDir dir;
  const auto cert = dir.path / "cert.pem";
  const auto db = dir.path / "alphammo.sqlite3";
  const auto backup = dir.path / "backup.sqlite3";
  world::Character ann_at_backup;
  {
    ServerProcess server{dir.path};
    WsClient ann{cert, server.port()};
    WsClient ben{cert, server.port()};
    const protocol::Entered a = ann.join("ann", "Ann", "pw");
    (void)ben.join("ben", "Ben", "pw");
    // Ann walks, then leaves (saved); Ben plays on while the backup is taken.
    for (const auto d : {world::Direction::East, world::Direction::South}) {
      const auto seq = ann.command(world::Move{d});
      REQUIRE(ann.tick_until([&](const protocol::TickMessage& t) { return t.ack_seq >= seq; }));
    }
    expect_list(ann.request(protocol::LeaveWorld{}));
    (void)ben.command(world::Move{world::Direction::West});

    const auto taken =
        run_server_command({"backup", backup.string(), "--data-dir", dir.path.string()});
    CHECK_MESSAGE(taken.status == 0, taken.output);
    CHECK_MESSAGE(taken.output.find("2 accounts, 2 characters") != std::string::npos, taken.output);
    REQUIRE(fs::is_regular_file(backup));
    CHECK_FALSE(fs::exists(fs::path(backup.string() + "-wal")));  // one self-contained file
    // A second backup to the same file is refused; the first is kept.
    const auto again =
        run_server_command({"backup", backup.string(), "--data-dir", dir.path.string()});
    CHECK(again.status != 0);
    CHECK(again.output.find("the destination exists") != std::string::npos);

    // After the backup: Ann's saved state (as the backup holds it) comes back on entering; she
    // walks again and leaves, makes a second character; Ben goes on. All this the restore undoes.
    const protocol::Entered a2 =
        std::get<protocol::Entered>(ann.request(protocol::EnterWorld{a.character.id}));
    ann_at_backup = a2.character;
    const auto seq = ann.command(world::Move{world::Direction::North});
    REQUIRE(ann.tick_until([&](const protocol::TickMessage& t) { return t.ack_seq >= seq; }));
    expect_list(ann.request(protocol::LeaveWorld{}));
    CHECK(expect_list(ann.request(protocol::CreateCharacter{"Annex", 1, 0, 0})).list.size() == 2);

    // No restore while a server runs on the directory.
    const auto refused =
        run_server_command({"restore", backup.string(), "--data-dir", dir.path.string()});
    CHECK(refused.status != 0);
    CHECK_MESSAGE(refused.output.find("stop it first") != std::string::npos, refused.output);
    CHECK(WEXITSTATUS(server.stop(SIGTERM)) == 0);
  }
  // What the backup holds (read from a copy: opening a Store may write to its file).
  const auto copy = dir.path / "backup-copy.sqlite3";
  fs::copy_file(backup, copy);
  const auto expected = all_characters(copy);
  REQUIRE(expected.size() == 2);
  REQUIRE(expected.count(ann_at_backup.id) == 1);
  CHECK(expected.at(ann_at_backup.id) == ann_at_backup);
  CHECK(all_characters(db).size() == 3);  // Annex

  const auto restored =
      run_server_command({"--data-dir", dir.path.string(), "restore", backup.string()});
  CHECK_MESSAGE(restored.status == 0, restored.output);
  CHECK(all_characters(db) == expected);

  // The restored server: Ann has one character again, as she left it before the backup.
  ServerProcess server{dir.path};
  WsClient ann{cert, server.port()};
  ann.hello();
  const auto list = expect_list(ann.request(protocol::Login{"ann", "pw"}));
  REQUIRE(list.list.size() == 1);
  CHECK(list.list[0].name == "Ann");
  const auto entered = ann.request(protocol::EnterWorld{list.list[0].id});
  REQUIRE(std::holds_alternative<protocol::Entered>(entered));
  CHECK(std::get<protocol::Entered>(entered).character == ann_at_backup);
}

namespace {

// The path of `program` on $PATH, or empty.
fs::path on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const fs::path candidate = fs::path(rest.substr(0, colon)) / program;
    std::error_code ec;
    if (::access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate, ec)) {
      return candidate;
    }
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
  }
  return {};
}

// The value of attribute `name` in an XML element's text (sslscan writes them in quotes).
std::string attribute(const std::string& element, const std::string& name) {
  const std::regex a{"\\b" + name + "=\"([^\"]*)\""};
  std::smatch m;
  return std::regex_search(element, m, a) ? m[1].str() : std::string{};
}

// Every element `<tag .../>` of sslscan's XML report.
std::vector<std::string> elements(const std::string& xml, const std::string& tag) {
  std::vector<std::string> out;
  const std::regex e{"<" + tag + "\\s[^>]*/>"};
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), e); it != std::sregex_iterator();
       ++it) {
    out.push_back(it->str());
  }
  return out;
}

// A TLS handshake with the server by a client that offers exactly `version`.
beast::error_code handshake_with_only(std::uint16_t port, int version) {
  net::io_context ioc;
  ssl::context ctx{ssl::context::tls_client};
  SSL_CTX_set_security_level(ctx.native_handle(), 0);  // let this client offer old versions
  SSL_CTX_set_min_proto_version(ctx.native_handle(), version);
  SSL_CTX_set_max_proto_version(ctx.native_handle(), version);
  ctx.set_verify_mode(ssl::verify_none);
  TlsStream stream{ioc, ctx};
  const tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), port};
  if (auto ec = run_op(ioc, [&](auto handler) {
        beast::get_lowest_layer(stream).async_connect(endpoint, std::move(handler));
      })) {
    return ec;
  }
  auto ec = run_op(ioc, [&](auto handler) {
    stream.async_handshake(ssl::stream_base::client, std::move(handler));
  });
  if (!ec) CHECK(SSL_get_current_compression(stream.native_handle()) == nullptr);
  return ec;
}

}  // namespace

TEST_CASE(
    "TLS: sslscan sees TLS 1.2/1.3 only, AEAD suites with forward secrecy, no compression, "
    "no renegotiation") {
  TestServer server;
  // Without sslscan, what this client can check itself: TLS 1.0 and 1.1 refused, 1.2 and 1.3
  // accepted, no compression on the connection, and the options of the server's context.
  CHECK(handshake_with_only(server.port(), TLS1_VERSION));
  CHECK(handshake_with_only(server.port(), TLS1_1_VERSION));
  CHECK_FALSE(handshake_with_only(server.port(), TLS1_2_VERSION));
  CHECK_FALSE(handshake_with_only(server.port(), TLS1_3_VERSION));
  {
    auto ctx = netserver::make_server_context(server.cert.cert_path, server.cert.key_path);
    const auto options = SSL_CTX_get_options(ctx.native_handle());
    CHECK((options & SSL_OP_NO_COMPRESSION) != 0);
    CHECK((options & SSL_OP_NO_RENEGOTIATION) != 0);
  }

  const fs::path sslscan = on_path("sslscan");
  if (sslscan.empty()) {
    MESSAGE("sslscan not found on PATH (Debian package sslscan): the scan is skipped");
    return;
  }
  const fs::path report = server.dir.path / "sslscan.xml";
  const auto scan = run_command({sslscan.string(), "--no-colour", "--xml=" + report.string(),
                                 "127.0.0.1:" + std::to_string(server.port())});
  REQUIRE_MESSAGE(scan.status == 0, scan.output);
  std::ifstream in(report);
  const std::string xml{std::istreambuf_iterator<char>(in), {}};
  CAPTURE(scan.output);

  // Protocols: only TLS 1.2 and 1.3.
  std::map<std::string, std::string> enabled;
  for (const auto& p : elements(xml, "protocol")) {
    enabled[attribute(p, "type") + attribute(p, "version")] = attribute(p, "enabled");
  }
  CHECK(enabled["ssl2"] == "0");
  CHECK(enabled["ssl3"] == "0");
  CHECK(enabled["tls1.0"] == "0");
  CHECK(enabled["tls1.1"] == "0");
  CHECK(enabled["tls1.2"] == "1");
  CHECK(enabled["tls1.3"] == "1");

  // Cipher suites: AEAD (GCM or ChaCha20-Poly1305) with an ephemeral key exchange, each one.
  const std::regex tls12{
      "(ECDHE|DHE)-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)"};
  const std::regex tls13{"TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)"};
  std::map<std::string, int> per_version;
  for (const auto& c : elements(xml, "cipher")) {
    const std::string version = attribute(c, "sslversion");
    const std::string name = attribute(c, "cipher");
    CAPTURE(c);
    ++per_version[version];
    if (version == "TLSv1.2") {
      CHECK(std::regex_match(name, tls12));
    } else {
      CHECK(version == "TLSv1.3");
      CHECK(std::regex_match(name, tls13));  // TLS 1.3 suites are AEAD, its exchange ephemeral
    }
  }
  CHECK(per_version["TLSv1.2"] >= 1);
  CHECK(per_version["TLSv1.3"] >= 1);

  // No renegotiation; no compression (when this sslscan can test it); no Heartbleed.
  const auto renegotiation = elements(xml, "renegotiation");
  REQUIRE(renegotiation.size() == 1);
  CHECK(attribute(renegotiation[0], "supported") == "0");
  for (const auto& c : elements(xml, "compression"))
    CHECK(attribute(c, "supported") == "0");
  for (const auto& h : elements(xml, "heartbleed"))
    CHECK(attribute(h, "vulnerable") == "0");
}
