// alphammo-server as an operator runs it: the password hashes it stores (Argon2id at OWASP's
// costs or more).

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <variant>
#include <vector>

#include "netserver/store.hpp"
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
