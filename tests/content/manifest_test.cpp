#include "content/manifest.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "content/files.hpp"
#include "content/sha256.hpp"

using content::ContentFile;
using content::Manifest;
using content::ManifestFile;
using nlohmann::json;

namespace {

std::vector<ContentFile> small_files() {
  return {ContentFile{"npcs.json", "N"}, ContentFile{"maps/m.tmj", "M"},
          ContentFile{"items.json", "I"}, ContentFile{"spells.json", "S"},
          ContentFile{"vocations.json", "V"}};
}

Manifest small_manifest() {
  auto m = content::make_manifest("maps/m.tmj", small_files());
  REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().message));
  return std::move(m).value();
}

// The error of parsing `j` as a manifest ("" when it parses).
std::string parse_error(const json& j) {
  const auto r = content::parse_manifest(j.dump(), "manifest.json");
  return r.ok() ? std::string() : r.error().message;
}

}  // namespace

TEST_CASE("make_manifest: files sorted by path, sizes, digests and the bundle hash") {
  const Manifest m = small_manifest();
  CHECK(m.map == "maps/m.tmj");
  REQUIRE(m.files.size() == 5);
  CHECK(m.files[0] == ManifestFile{"items.json", 1, content::sha256_hex("I")});
  CHECK(m.files[1] == ManifestFile{"maps/m.tmj", 1, content::sha256_hex("M")});
  CHECK(m.files[2] == ManifestFile{"npcs.json", 1, content::sha256_hex("N")});
  CHECK(m.files[3] == ManifestFile{"spells.json", 1, content::sha256_hex("S")});
  CHECK(m.files[4] == ManifestFile{"vocations.json", 1, content::sha256_hex("V")});
  // The canonical text: the map, then path and digest of each file in path order.
  const std::string canonical =
      "maps/m.tmj\nitems.json\n" + content::sha256_hex("I") + "\nmaps/m.tmj\n" +
      content::sha256_hex("M") + "\nnpcs.json\n" + content::sha256_hex("N") + "\nspells.json\n" +
      content::sha256_hex("S") + "\nvocations.json\n" + content::sha256_hex("V") + "\n";
  CHECK(m.hash == content::sha256_hex(canonical));
  CHECK(content::bundle_hash(m.map, m.files) == m.hash);
}

TEST_CASE("the bundle hash names the map and every byte of every file") {
  const Manifest m = small_manifest();
  auto files = small_files();
  files[0].bytes = "N2";
  CHECK(content::make_manifest("maps/m.tmj", files).value().hash != m.hash);
  files = small_files();
  files.push_back(ContentFile{"maps/other.tmj", "O"});
  const auto with_other = content::make_manifest("maps/m.tmj", files);
  const auto other_map = content::make_manifest("maps/other.tmj", files);
  CHECK(with_other.value().hash != m.hash);
  CHECK(other_map.value().hash != with_other.value().hash);
  // The order the files come in does not matter.
  std::reverse(files.begin(), files.end());
  CHECK(content::make_manifest("maps/m.tmj", files).value() == with_other.value());
}

TEST_CASE("make_manifest refuses bad paths, a path twice and a missing file") {
  const auto error = [](std::string map, std::vector<ContentFile> files) {
    const auto r = content::make_manifest(std::move(map), files);
    return r.ok() ? std::string() : r.error().message;
  };
  auto files = small_files();
  files.push_back(ContentFile{"../secret", "x"});
  CHECK(error("maps/m.tmj", files).find("\"../secret\" is not a bundle path") != std::string::npos);
  files = small_files();
  files.push_back(ContentFile{"items.json", "again"});
  CHECK(error("maps/m.tmj", files) == "\"items.json\" is in the bundle twice");
  files = small_files();
  files.push_back(ContentFile{"manifest.json", "{}"});
  CHECK(error("maps/m.tmj", files) ==
        "\"manifest.json\" is the manifest's name and cannot be a file's");
  CHECK(error("maps/none.tmj", small_files()) == "the bundle has no file \"maps/none.tmj\"");
  files = small_files();
  files.erase(files.begin());
  CHECK(error("maps/m.tmj", files) == "the bundle has no file \"npcs.json\"");
  files = small_files();
  files.pop_back();
  CHECK(error("maps/m.tmj", files) == "the bundle has no file \"vocations.json\"");
  files = small_files();
  files.erase(files.begin() + 3);
  CHECK(error("maps/m.tmj", files) == "the bundle has no file \"spells.json\"");
}

TEST_CASE("manifest JSON round trip") {
  const Manifest m = small_manifest();
  const std::string text = content::manifest_json(m);
  CHECK(text.back() == '\n');
  const json j = json::parse(text);
  CHECK(j.at("map") == "maps/m.tmj");
  CHECK(j.at("hash") == m.hash);
  CHECK(j.at("files").at(1) ==
        json{{"path", "maps/m.tmj"}, {"sha256", content::sha256_hex("M")}, {"size", 1}});
  const auto back = content::parse_manifest(text, "manifest.json");
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message));
  CHECK(back.value() == m);
}

TEST_CASE("parse_manifest checks every field and names it") {
  const json good = json::parse(content::manifest_json(small_manifest()));
  CHECK(parse_error(good).empty());

  auto j = good;
  j.erase("map");
  CHECK(parse_error(j) == "manifest.json: map: missing");
  j = good;
  j["map"] = "../maps/m.tmj";
  CHECK(parse_error(j) == "manifest.json: map: \"../maps/m.tmj\" is not a bundle path");
  j = good;
  j["hash"] = std::string(64, 'A');
  CHECK(parse_error(j).find("manifest.json: hash: expected 64 lower-case hex digits") == 0);
  j = good;
  j["hash"] = std::string(64, '0');
  CHECK(parse_error(j).find("manifest.json: hash: does not match the map and files listed") == 0);
  j = good;
  j["files"][1]["path"] = "maps/%2e%2e/m.tmj";
  CHECK(parse_error(j) ==
        "manifest.json: files[1].path: \"maps/%2e%2e/m.tmj\" is not a bundle path");
  j = good;
  j["files"][2]["path"] = "items.json";
  CHECK(parse_error(j) ==
        "manifest.json: files[2].path: \"items.json\" is listed twice (first at files[0])");
  j = good;
  j["files"][2]["path"] = "manifest.json";
  CHECK(parse_error(j) ==
        "manifest.json: files[2].path: \"manifest.json\" is the manifest's "
        "name and cannot be a file's");
  j = good;
  j["files"][0]["sha256"] = "abc";
  CHECK(parse_error(j).find("manifest.json: files[0].sha256: expected 64 lower-case hex") == 0);
  j = good;
  j["files"][0]["size"] = -1;
  CHECK(parse_error(j).find("manifest.json: files[0].size: ") == 0);
  j = good;
  j["files"][0]["size"] = content::kMaxBundleFileBytes + 1;
  CHECK(parse_error(j).find("manifest.json: files[0].size: ") == 0);
  j = good;
  j["files"].erase(2);
  CHECK(parse_error(j) == "manifest.json: files: the bundle has no file \"npcs.json\"");
  j = good;
  j["files"][0] = 7;
  CHECK(parse_error(j) == "manifest.json: files[0]: expected an object, got 7");
  CHECK(parse_error(json::array()).find("manifest.json: expected an object") == 0);
  CHECK(content::parse_manifest("{", "manifest.json").error().message.find("manifest.json: ") == 0);
}

TEST_CASE("verify: a file's bytes against the manifest") {
  const Manifest m = small_manifest();
  CHECK_FALSE(content::verify(m, "items.json", "I"));
  const auto size = content::verify(m, "items.json", "II");
  REQUIRE(size);
  CHECK(size->message == "\"items.json\" has 2 bytes, the manifest says 1");
  const auto digest = content::verify(m, "items.json", "X");
  REQUIRE(digest);
  CHECK(digest->message.find("\"items.json\" has the SHA-256 ") == 0);
  const auto unknown = content::verify(m, "maps/x.tmj", "I");
  REQUIRE(unknown);
  CHECK(unknown->message.find("\"maps/x.tmj\" is not a file of the bundle") == 0);
}

TEST_CASE("the shipped content: its files, its manifest, and the bundle they load") {
  const auto files = content::read_bundle_files(ALPHAMMO_DATA_DIR, "maps/default.tmj");
  REQUIRE_MESSAGE(files.ok(), (files.ok() ? "" : files.error().message));
  std::vector<std::string> paths;
  for (const ContentFile& f : files.value())
    paths.push_back(f.path);
  CHECK(paths == std::vector<std::string>{"items.json", "spells.json", "vocations.json",
                                          "npcs.json", "maps/default.tmj", "maps/terrain.tsj"});
  const auto m = content::make_manifest("maps/default.tmj", files.value());
  REQUIRE(m.ok());
  for (const ContentFile& f : files.value())
    CHECK_FALSE(content::verify(m.value(), f.path, f.bytes));

  const auto from_memory = content::load_bundle(files.value(), "maps/default.tmj", 7);
  const auto from_disk = content::load_bundle_files(ALPHAMMO_DATA_DIR, "maps/default.tmj", 7);
  REQUIRE_MESSAGE(from_memory.ok(), (from_memory.ok() ? "" : from_memory.error().message));
  REQUIRE(from_disk.ok());
  CHECK(*from_memory.value().map == *from_disk.value().map);
  CHECK(from_memory.value().config == from_disk.value().config);
}

TEST_CASE("load_bundle from memory names a missing file by its bundle path") {
  auto files = content::read_bundle_files(ALPHAMMO_DATA_DIR).value();
  std::erase_if(files, [](const ContentFile& f) { return f.path == "maps/terrain.tsj"; });
  const auto r = content::load_bundle(files, "maps/default.tmj");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("maps/default.tmj: ") == 0);
  CHECK(r.error().message.find("terrain.tsj") != std::string::npos);
  const auto no_items = content::load_bundle(std::vector<ContentFile>{}, "maps/default.tmj");
  CHECK(no_items.error().message == "the bundle has no file \"items.json\"");
  for (const std::string path : {"spells.json", "vocations.json"}) {
    auto without = content::read_bundle_files(ALPHAMMO_DATA_DIR).value();
    std::erase_if(without, [&](const ContentFile& f) { return f.path == path; });
    CHECK(content::load_bundle(without, "maps/default.tmj").error().message ==
          "the bundle has no file \"" + path + "\"");
  }
}
