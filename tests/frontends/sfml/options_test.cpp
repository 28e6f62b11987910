// alphammo-client's command line: every flag, the default trust, and bad input named.

#include "options.hpp"
//
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "netserver/tls.hpp"
#include "test_server.hpp"

namespace {

world::Result<sfml_client::ParsedArgs> parse(
    std::vector<const char*> args, const std::filesystem::path& cert = "/nonexistent.pem") {
  args.insert(args.begin(), "alphammo-client");
  return sfml_client::parse_args(static_cast<int>(args.size()), args.data(), cert);
}

}  // namespace

TEST_CASE("client options: with no flags it pins the certificate ./run.sh's server made") {
  nettest::TempDir dir;
  const auto files = netserver::ensure_self_signed(dir.path);
  const auto r = parse({}, files.cert_path);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  const auto& c = r.value().app.connect;
  CHECK(c.host == "127.0.0.1");
  CHECK(c.port == 7171);
  CHECK(c.verify == client::TlsVerify::Pin);
  const auto fp = sfml_client::certificate_fingerprint(files.cert_path);
  REQUIRE(fp.ok());
  CHECK(c.pin == fp.value());
  CHECK(fp.value().size() == 95);  // 32 bytes as "AB:" pairs
  CHECK(r.value().app.width == 1280);
  CHECK(r.value().app.height == 720);
}

TEST_CASE("client options: flags") {
  const auto r =
      parse({"--server", "example.org:9000", "--pin",
             "ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:"
             "ab:cd:ef:01:23:45:67:89",
             "--user", "alice", "--password", "pw", "--character", "Zoe", "--vocation", "mage",
             "--size", "1600x900", "--procedural-tiles", "--cache-dir", "/tmp/alphammo-cache"});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  const auto& a = r.value().app;
  CHECK(a.connect.host == "example.org");
  CHECK(a.connect.port == 9000);
  CHECK(a.connect.verify == client::TlsVerify::Pin);
  CHECK(a.connect.pin.substr(0, 5) == "AB:CD");
  CHECK(a.user == "alice");
  CHECK(a.password == "pw");
  CHECK(a.character == "Zoe");
  CHECK(a.vocation == "mage");
  CHECK(a.width == 1600);
  CHECK(a.height == 900);
  CHECK(a.procedural_tiles);
  CHECK(a.cache_dir == "/tmp/alphammo-cache");

  const auto insecure = parse({"--insecure"});
  REQUIRE(insecure.ok());
  CHECK(insecure.value().app.connect.verify == client::TlsVerify::Insecure);
  REQUIRE(insecure.value().warnings.size() == 1);
  CHECK(insecure.value().warnings[0].find("NOT checked") != std::string::npos);

  const auto help = parse({"--help"});
  REQUIRE(help.ok());
  CHECK(help.value().exit);
  CHECK(help.value().code == 0);
  CHECK(help.value().text.find("--replay") != std::string::npos);
  CHECK(help.value().text.find("Controls") != std::string::npos);

  // A replay needs no certificate.
  nettest::TempDir dir;
  const auto file = dir.path / "x.amrec";
  { std::ofstream(file) << "x"; }
  const auto replay = parse({"--replay", file.c_str()});
  REQUIRE_MESSAGE(replay.ok(), replay.error().message);
  CHECK(replay.value().app.replay == file);
}

TEST_CASE("client options: bad input is named") {
  const auto message = [](std::vector<const char*> args) {
    const auto r = parse(std::move(args));
    REQUIRE_FALSE(r.ok());
    return r.error().message;
  };
  CHECK(message({}).find("no certificate to trust") != std::string::npos);
  CHECK(message({}).find("/nonexistent.pem") != std::string::npos);
  CHECK(message({"--server", "host:70000", "--insecure"}).find("--server") != std::string::npos);
  CHECK(message({"--pin", "xyz"}).find("--pin") != std::string::npos);
  CHECK(message({"--size", "100x100", "--insecure"}).find("--size") != std::string::npos);
  CHECK(message({"--size", "big", "--insecure"}).find("--size") != std::string::npos);
  CHECK(message({"--password", "pw", "--insecure"}).find("--password needs --user") !=
        std::string::npos);
  CHECK(message({"--vocation", "mage", "--insecure"}) ==
        "--vocation needs --character (the character it creates)");
  CHECK(message({"--insecure", "--pin", "AB"}).find("excludes") != std::string::npos);
  CHECK(message({"--bogus"}).find("bogus") != std::string::npos);
  CHECK(message({"--replay", "/no/such/file.amrec"}).find("/no/such/file.amrec") !=
        std::string::npos);
  CHECK(message({"--retries", "0", "--insecure"}).find("--retries") != std::string::npos);
}
