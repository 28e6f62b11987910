#include "netserver/served_content.hpp"
//
#include <doctest/doctest.h>

#include <string>
#include <variant>
#include <vector>

#include "content/files.hpp"
#include "content/manifest.hpp"
#include "protocol/session.hpp"
#include "test_server.hpp"

namespace {

using namespace nettest;
using content::ContentFile;

std::vector<ContentFile> data_files() {
  auto files = content::read_bundle_files(content::default_data_dir(), TestServer::kMap);
  REQUIRE_MESSAGE(files.ok(), (files.ok() ? "" : files.error().message));
  return std::move(files).value();
}

// Requests that must be answered 404 however a server might be tempted to read them: other
// hashes, unlisted paths, traversal spelled plainly or escaped, a query, the bare directory.
std::vector<std::string> not_found_targets(const std::string& hash) {
  const std::string url = "/content/" + hash + "/";
  return {"/content/" + std::string(64, '0') + "/manifest.json",
          "/content/" + std::string(64, '0') + "/items.json",
          "/content/",
          "/content/" + hash,
          url,
          url + "nothing.json",
          url + "maps/",
          url + "maps",
          url + "../" + hash + "/items.json",
          url + "maps/../items.json",
          url + "./items.json",
          url + "maps//default.tmj",
          url + "%2e%2e/%2e%2e/etc/passwd",
          url + "%2e%2e%2fitems.json",
          url + "items%2ejson",
          url + "items.json?x=1",
          url + "items.json/",
          url + "ITEMS.JSON",
          url + "/items.json",
          "/content/" + hash + "//items.json",
          "/content/../content/" + hash + "/items.json"};
}

}  // namespace

TEST_CASE("ServedContent: the manifest and the listed files, and nothing else") {
  const auto files = data_files();
  auto served = netserver::ServedContent::make(std::string(TestServer::kMap), files);
  REQUIRE(served.ok());
  const netserver::ServedContent& c = *served.value();
  const std::string hash = c.manifest().hash;
  CHECK(c.ref() == protocol::ContentRef{"maps/default.tmj", hash, "/content/" + hash + "/"});

  const auto manifest = c.find("/content/" + hash + "/manifest.json");
  REQUIRE(manifest);
  CHECK(manifest->content_type == "application/json");
  CHECK(manifest->body == content::manifest_json(c.manifest()));
  for (const ContentFile& f : files) {
    const auto got = c.find("/content/" + hash + "/" + f.path);
    REQUIRE_MESSAGE(got, f.path);
    CHECK(got->body == f.bytes);
    CHECK(got->content_type == "application/json");
  }
  for (const std::string& target : not_found_targets(hash)) {
    CHECK_MESSAGE(!c.find(target), target);
  }
  // Files that are not JSON go out as bytes.
  auto with_png = files;
  with_png.push_back(ContentFile{"maps/terrain.png", std::string("\x89PNG\0", 5)});
  auto png = netserver::ServedContent::make(std::string(TestServer::kMap), with_png);
  REQUIRE(png.ok());
  const auto image = png.value()->find(png.value()->ref().url + "maps/terrain.png");
  REQUIRE(image);
  CHECK(image->content_type == "application/octet-stream");
  CHECK(image->body.size() == 5);
}

TEST_CASE("HTTPS: welcome names the content and the server serves it from memory") {
  TestServer server;
  WsClient client{server};
  const auto welcome = client.request(protocol::Hello{});
  REQUIRE(std::holds_alternative<protocol::Welcome>(welcome));
  const auto& ref = std::get<protocol::Welcome>(welcome).content;
  REQUIRE(ref);
  CHECK(ref->map == "maps/default.tmj");
  CHECK(ref->url == "/content/" + ref->hash + "/");

  // The manifest is the data directory's files, and names the hash welcome gave.
  const auto files = data_files();
  const auto expected = content::make_manifest("maps/default.tmj", files);
  REQUIRE(expected.ok());
  CHECK(ref->hash == expected.value().hash);
  const auto got = https_get(server, ref->url + "manifest.json");
  REQUIRE_FALSE(got.ec);
  CHECK(got.response.result() == http::status::ok);
  CHECK(got.response[http::field::content_type] == "application/json");
  const auto manifest = content::parse_manifest(got.response.body(), "manifest.json");
  REQUIRE_MESSAGE(manifest.ok(), (manifest.ok() ? "" : manifest.error().message));
  CHECK(manifest.value() == expected.value());

  // Every file's bytes verify.
  for (const content::ManifestFile& f : manifest.value().files) {
    const auto file = https_get(server, ref->url + f.path);
    REQUIRE_FALSE(file.ec);
    CHECK(file.response.result() == http::status::ok);
    CHECK_MESSAGE(!content::verify(manifest.value(), f.path, file.response.body()), f.path);
  }
  const std::uint64_t served = manifest.value().files.size() + 1;
  CHECK(server.server->metrics().content_requests == served);
  CHECK(server.server->metrics().content_not_found == 0);

  // Unknown hashes and paths, and every way out of the bundle: 404.
  const auto targets = not_found_targets(ref->hash);
  for (const std::string& target : targets) {
    const auto r = https_get(server, target);
    REQUIRE_FALSE(r.ec);
    CHECK_MESSAGE(r.response.result() == http::status::not_found, target);
    CHECK(r.response.body() == "not found\n");
  }
  // Another method on a file that exists: 405.
  const auto post = https_get(server, ref->url + "items.json", http::verb::post);
  REQUIRE_FALSE(post.ec);
  CHECK(post.response.result() == http::status::method_not_allowed);
  CHECK(post.response[http::field::allow] == "GET");

  const auto metrics = https_get(server, "/metrics");
  REQUIRE_FALSE(metrics.ec);
  const std::string total = std::to_string(served + targets.size() + 1);
  CHECK(metrics.response.body().find("alphammo_content_requests_total " + total + "\n") !=
        std::string::npos);
  CHECK(metrics.response.body().find("alphammo_content_not_found_total " +
                                     std::to_string(targets.size()) + "\n") != std::string::npos);
}

TEST_CASE("HTTPS: a server without content says none in welcome and serves none") {
  TestServerOptions o;
  o.serve_content = false;
  TestServer server{o};
  WsClient client{server};
  const auto welcome = client.request(protocol::Hello{});
  REQUIRE(std::holds_alternative<protocol::Welcome>(welcome));
  CHECK_FALSE(std::get<protocol::Welcome>(welcome).content);
  const auto hash = content::make_manifest("maps/default.tmj", data_files()).value().hash;
  const auto r = https_get(server, "/content/" + hash + "/manifest.json");
  REQUIRE_FALSE(r.ec);
  CHECK(r.response.result() == http::status::not_found);
  CHECK(server.server->metrics().content_not_found == 1);
}
