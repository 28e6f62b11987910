// The world's content from the server (docs/protocol.md, "Content"): a client with no data/
// folder fetches the bundle welcome names into an empty cache directory, loads it from there,
// asks nothing the second time, and fetches again what was damaged. Against the real server in
// this process (TLS on 127.0.0.1, an ephemeral port, a self-signed certificate).
#include "client/content_fetch.hpp"
#include "client/blocking_session.hpp"
#include "client/content_library.hpp"
#include "client/session.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "content/files.hpp"
#include "test_server.hpp"

namespace {

using namespace std::chrono_literals;
using client::ErrorKind;
namespace fs = std::filesystem;

client::ConnectOptions pinned(const nettest::TestServer& server) {
  client::ConnectOptions o;
  o.host = "127.0.0.1";
  o.port = server.port();
  o.verify = client::TlsVerify::Pin;
  o.pin = server.cert.sha256_fingerprint_hex;
  return o;
}

// What welcome names, as a client learns it.
protocol::ContentRef welcome_content(const nettest::TestServer& server) {
  nettest::WsClient ws{server};
  auto welcome = ws.request(protocol::Hello{});
  REQUIRE(std::holds_alternative<protocol::Welcome>(welcome));
  const auto& content = std::get<protocol::Welcome>(welcome).content;
  REQUIRE(content);
  return *content;
}

std::uint64_t content_requests(const nettest::TestServer& server) {
  return server.server->metrics().content_requests;
}

void overwrite(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Runs `ioc` until `done()` (true) or 30 s passed (false).
template <class Done>
bool run_until(boost::asio::io_context& ioc, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!done() && std::chrono::steady_clock::now() < deadline)
    ioc.run_for(20ms);
  return done();
}

// The fetched bundle is the server's world content.
void check_same_as_server(const client::LoadedContent& got, const nettest::TestServer& server) {
  REQUIRE(got.bundle != nullptr);
  REQUIRE(got.bundle->map != nullptr);
  CHECK(got.bundle->map->width() == server.bundle.map->width());
  CHECK(got.bundle->map->height() == server.bundle.map->height());
  CHECK(*got.bundle->map == *server.bundle.map);
  CHECK(got.bundle->config.item_types == server.bundle.config.item_types);
  CHECK(got.bundle->config.npc_templates == server.bundle.config.npc_templates);
  CHECK(got.manifest == server.content->manifest());
}

}  // namespace

TEST_CASE("content: a client with no data/ folder gets the content from the server") {
  nettest::TestServer server;
  nettest::TempDir cache;  // empty: nothing of the server's data/ here
  const protocol::ContentRef ref = welcome_content(server);
  const std::size_t files = server.content->manifest().files.size();
  REQUIRE(files == 6);

  // First: downloaded, checked, kept under <cache>/<hash>/.
  auto first = client::fetch_content_blocking(pinned(server), ref, cache.path);
  REQUIRE_MESSAGE(first.ok(), (first.ok() ? "" : client::describe(first.error())));
  CHECK_FALSE(first.value().from_cache);
  CHECK(first.value().directory == cache.path / ref.hash);
  check_same_as_server(first.value(), server);
  CHECK(content_requests(server) == files + 1);
  CHECK(server.server->metrics().content_not_found == 0);
  // The cached bundle loads with the code the server uses, from the cache alone.
  auto from_disk = content::load_bundle_files(cache.path / ref.hash, ref.map);
  REQUIRE(from_disk.ok());
  CHECK(*from_disk.value().map == *server.bundle.map);
  // No half-finished directory is left beside it.
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(cache.path))
    entries.push_back(e.path().filename());
  CHECK(entries == std::vector<fs::path>{ref.hash});

  // Second: from the cache, without a single request.
  auto second = client::fetch_content_blocking(pinned(server), ref, cache.path);
  REQUIRE(second.ok());
  CHECK(second.value().from_cache);
  check_same_as_server(second.value(), server);
  CHECK(content_requests(server) == files + 1);

  // A damaged file is noticed (its SHA-256), and the bundle is fetched again.
  overwrite(cache.path / ref.hash / "maps" / "default.tmj", "{\"not\": \"the map\"}");
  auto repaired = client::fetch_content_blocking(pinned(server), ref, cache.path);
  REQUIRE_MESSAGE(repaired.ok(), (repaired.ok() ? "" : client::describe(repaired.error())));
  CHECK_FALSE(repaired.value().from_cache);
  check_same_as_server(repaired.value(), server);
  CHECK(content_requests(server) == 2 * (files + 1));
  CHECK(client::load_cached_content(cache.path, ref).ok());

  // So is a missing one, and a damaged manifest.
  fs::remove(cache.path / ref.hash / "npcs.json");
  CHECK(client::load_cached_content(cache.path, ref).error().kind == ErrorKind::Cache);
  REQUIRE(client::fetch_content_blocking(pinned(server), ref, cache.path).ok());
  overwrite(cache.path / ref.hash / "manifest.json", "{}");
  CHECK(client::load_cached_content(cache.path, ref).error().kind == ErrorKind::Content);
  auto again = client::fetch_content_blocking(pinned(server), ref, cache.path);
  REQUIRE(again.ok());
  CHECK_FALSE(again.value().from_cache);
  CHECK(content_requests(server) == 4 * (files + 1));
  CHECK(client::load_cached_content(cache.path, ref).value().from_cache);
}

TEST_CASE("content: the asynchronous fetch, with a CA file, and abandoned") {
  nettest::TestServer server;
  nettest::TempDir cache;
  const protocol::ContentRef ref = welcome_content(server);
  client::ConnectOptions o = pinned(server);
  o.verify = client::TlsVerify::CaFile;
  o.ca_file = server.cert.cert_path;

  boost::asio::io_context ioc;
  std::optional<world::Result<client::LoadedContent, client::ClientError>> result;
  bool inside_call = true;
  bool replied_inside = false;
  auto fetch = client::fetch_content(ioc.get_executor(), o, ref, cache.path, [&](auto r) {
    replied_inside = inside_call;
    result = std::move(r);
  });
  inside_call = false;
  ioc.run_for(20s);
  REQUIRE(result);
  CHECK_FALSE(replied_inside);
  REQUIRE_MESSAGE(result->ok(), (result->ok() ? "" : client::describe(result->error())));
  check_same_as_server(result->value(), server);
  CHECK(fetch.requests() == server.content->manifest().files.size() + 1);

  // An abandoned fetch never replies.
  nettest::TempDir other;
  bool replied = false;
  {
    auto abandoned = client::fetch_content(ioc.get_executor(), o, ref, other.path,
                                           [&](auto) { replied = true; });
  }
  ioc.restart();
  ioc.run_for(2s);
  CHECK_FALSE(replied);
}

TEST_CASE("content: what cannot be fetched is named") {
  nettest::TestServer server;
  nettest::TempDir cache;
  const protocol::ContentRef ref = welcome_content(server);
  const auto fetch = [&](const protocol::ContentRef& r, client::ConnectOptions o) {
    return client::fetch_content_blocking(o, r, cache.path);
  };

  // A bundle the server does not have: 404 for its manifest.
  protocol::ContentRef unknown = ref;
  unknown.hash = std::string(64, '0');
  unknown.url = "/content/" + unknown.hash + "/";
  auto r = fetch(unknown, pinned(server));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Content);
  CHECK(r.error().message.find(unknown.url + "manifest.json") != std::string::npos);
  CHECK(r.error().message.find("HTTP 404") != std::string::npos);

  // welcome naming another map than the bundle runs.
  protocol::ContentRef other_map = ref;
  other_map.map = "maps/other.tmj";
  r = fetch(other_map, pinned(server));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Content);
  CHECK(r.error().message.find("\"maps/other.tmj\"") != std::string::npos);

  // A hash that is not one, a map that leaves the bundle, a URL that is not a plain path.
  for (const auto& bad : {protocol::ContentRef{ref.map, "xyz", ref.url},
                          protocol::ContentRef{"../maps/default.tmj", ref.hash, ref.url},
                          protocol::ContentRef{ref.map, ref.hash, "/content/x y/"}}) {
    r = fetch(bad, pinned(server));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Content);
  }

  // The same TLS checks as the WebSocket: a wrong pin is refused.
  client::ConnectOptions wrong = pinned(server);
  wrong.pin = std::string(64, 'a');
  r = fetch(ref, wrong);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Fingerprint);

  // A cache that cannot be written.
  const fs::path file = cache.path / "a-file";
  overwrite(file, "x");
  r = client::fetch_content_blocking(pinned(server), ref, file / "cache");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Cache);
  CHECK(content_requests(server) == 2 + server.content->manifest().files.size() + 1);
}

TEST_CASE("content: save_content keeps only files that verify") {
  nettest::TestServer server;  // for its content; no request is made
  nettest::TempDir cache;
  const protocol::ContentRef ref = server.content->ref();
  auto files = content::read_bundle_files(content::default_data_dir(), ref.map).value();
  for (auto& f : files) {
    if (f.path == "items.json") f.bytes += " ";
  }
  auto r = client::save_content(cache.path, ref, server.content->manifest(), files);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Content);
  CHECK(r.error().message.find("\"items.json\"") != std::string::npos);
  CHECK_FALSE(fs::exists(cache.path / ref.hash));
  files = content::read_bundle_files(content::default_data_dir(), ref.map).value();
  r = client::save_content(cache.path, ref, server.content->manifest(), files);
  REQUIRE(r.ok());
  CHECK(client::load_cached_content(cache.path, ref).ok());
}

TEST_CASE("content: sessions sharing a library fetch the content once, and the mirror has it") {
  nettest::TestServer server;
  nettest::TempDir cache;
  const auto make_options = [&](const std::string& user) {
    client::SessionOptions o;
    o.connect = pinned(server);
    o.username = user;
    o.password = "secret";
    return o;
  };
  boost::asio::io_context ioc;
  auto library = std::make_shared<client::ContentLibrary>(ioc.get_executor(), cache.path);
  int contents = 0;
  client::SessionHandlers h;
  h.on_content = [&](const client::LoadedContent& c) {
    ++contents;
    CHECK(c.manifest.hash == server.content->manifest().hash);
  };
  std::vector<std::unique_ptr<client::Session>> sessions;
  for (const char* user : {"reader1", "reader2", "reader3"}) {
    auto o = make_options(user);
    o.content = library;
    sessions.push_back(std::make_unique<client::Session>(ioc.get_executor(), o, h));
    sessions.back()->start();
  }
  REQUIRE(run_until(ioc, [&] {
    return std::all_of(sessions.begin(), sessions.end(),
                       [](const auto& s) { return s->in_world(); });
  }));
  CHECK(contents == 3);
  const std::size_t one_fetch = server.content->manifest().files.size() + 1;
  CHECK(library->requests() == one_fetch);
  CHECK(content_requests(server) == one_fetch);
  for (const auto& s : sessions) {
    REQUIRE(s->content() != nullptr);
    const client::WorldMirror& m = s->mirror();
    REQUIRE(m.map() != nullptr);
    CHECK(m.map()->width() == server.bundle.map->width());
    CHECK(m.map()->walkable(m.self()->position));
    CHECK(m.content() == s->content()->bundle);
    REQUIRE(m.item_type(0) != nullptr);
    CHECK(*m.item_type(0) == server.bundle.config.item_types[0]);
    CHECK(m.item_type(static_cast<std::uint32_t>(server.bundle.config.item_types.size())) ==
          nullptr);
  }
  for (const auto& s : sessions)
    s->stop();
  ioc.run_for(1s);

  // A new library on the same directory: from the disk, no request.
  boost::asio::io_context ioc2;
  auto o = make_options("reader4");
  o.content = std::make_shared<client::ContentLibrary>(ioc2.get_executor(), cache.path);
  client::Session late{ioc2.get_executor(), o};
  late.start();
  REQUIRE(run_until(ioc2, [&] { return late.in_world(); }));
  REQUIRE(late.content() != nullptr);
  CHECK(late.content()->from_cache);
  CHECK(content_requests(server) == one_fetch);
}

TEST_CASE("content: a session against a server that names no content plays without it") {
  nettest::TestServerOptions so;
  so.serve_content = false;
  nettest::TestServer server{so};
  nettest::TempDir cache;
  boost::asio::io_context ioc;
  client::SessionOptions o;
  o.connect = pinned(server);
  o.username = "oldserver";
  o.password = "secret";
  o.content = std::make_shared<client::ContentLibrary>(ioc.get_executor(), cache.path);
  client::Session s{ioc.get_executor(), o};
  s.start();
  REQUIRE(run_until(ioc, [&] { return s.in_world(); }));
  CHECK(s.content() == nullptr);
  CHECK(s.mirror().content() == nullptr);
  CHECK(s.mirror().map() == nullptr);
  CHECK(s.mirror().item_type(0) == nullptr);
  CHECK(content_requests(server) == 0);
}
