#include "content/files.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

TEST_CASE("an installed program's content is <prefix>/share/alphammo") {
  CHECK(content::installed_data_dir("/opt/alphammo/bin/alphammo-server") ==
        std::filesystem::path("/opt/alphammo/share/alphammo"));
  CHECK(content::installed_data_dir("/usr/bin/alphammo-client") ==
        std::filesystem::path("/usr/share/alphammo"));
}

TEST_CASE("from the build tree the default content is the source tree's data/") {
  // The test binary is not installed: there is no share/alphammo next to it.
  const auto dir = content::default_data_dir();
  CHECK(std::filesystem::is_regular_file(dir / "items.json"));
  CHECK(std::filesystem::is_regular_file(dir / "maps" / "default.tmj"));
  CHECK(dir == std::filesystem::path(ALPHAMMO_DATA_DIR));
}

TEST_CASE("a missing content file is named in the error") {
  const auto dir = std::filesystem::temp_directory_path() / "alphammo-files-test-empty";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto r = content::load_bundle_files(dir);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find((dir / "items.json").string()) != std::string::npos);
  // Each root file is needed, in the order they are parsed.
  std::ofstream(dir / "items.json", std::ios::binary) << R"({"items": []})";
  CHECK(content::load_bundle_files(dir).error().message.find((dir / "spells.json").string()) !=
        std::string::npos);
  std::ofstream(dir / "spells.json", std::ios::binary) << R"({"spells": []})";
  CHECK(content::load_bundle_files(dir).error().message.find((dir / "vocations.json").string()) !=
        std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("read_bundle_files: a tileset that cannot be read or lies outside is named") {
  const auto dir = std::filesystem::temp_directory_path() / "alphammo-files-test-bundle";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "maps");
  const auto write = [&](const std::string& path, const std::string& text) {
    std::ofstream(dir / path, std::ios::binary) << text;
  };
  write("items.json", R"({"items": []})");
  write("spells.json", R"({"spells": []})");
  write("vocations.json", R"({"vocations": [{"key": "adventurer", "name": "Adventurer"}]})");
  write("npcs.json", R"({"npcs": []})");
  write("maps/m.tmj", R"({"tilesets": [{"firstgid": 1, "source": "gone.tsj"}]})");
  auto r = content::read_bundle_files(dir, "maps/m.tmj");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find((dir / "maps" / "gone.tsj").string()) != std::string::npos);

  write("maps/m.tmj", R"({"tilesets": [{"firstgid": 1, "source": "../../outside.tsj"}]})");
  r = content::read_bundle_files(dir, "maps/m.tmj");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == (dir / "maps" / "m.tmj").string() +
                                 ": the tileset \"../../outside.tsj\" is not a file inside the "
                                 "content directory");

  // The same tileset named twice is one file; a map outside the directory is refused.
  write("t.tsj", "{}");
  write("maps/m.tmj", R"({"tilesets": [{"source": "../t.tsj"}, {"source": "./../t.tsj"}]})");
  r = content::read_bundle_files(dir, "maps/m.tmj");
  REQUIRE(r.ok());
  CHECK(r.value().size() == 6);
  CHECK(r.value().back().path == "t.tsj");
  CHECK_FALSE(content::read_bundle_files(dir, "../m.tmj").ok());
  std::filesystem::remove_all(dir);
}
