#include "content/bundle_path.hpp"

#include <string>

#include <doctest/doctest.h>

using content::is_bundle_path;
using content::join_bundle_path;

TEST_CASE("bundle paths are plain relative paths below the root") {
  CHECK(is_bundle_path("items.json"));
  CHECK(is_bundle_path("maps/default.tmj"));
  CHECK(is_bundle_path("a/b-c/d_e.F9"));
  CHECK(is_bundle_path(std::string(255, 'a')));
  CHECK_FALSE(is_bundle_path(std::string(256, 'a')));
  for (const char* bad : {"", "/items.json", "maps/", "maps//default.tmj", ".", "..",
                          "../items.json", "maps/../items.json", "./items.json", ".hidden",
                          "maps/.x", "a\\b", "C:x", "a b", "%2e%2e/x", "a?b", "a#b", "\xc3\xa9"}) {
    CHECK_MESSAGE(!is_bundle_path(bad), bad);
  }
}

TEST_CASE("a tileset's source joins to the map's directory") {
  CHECK(join_bundle_path("maps/default.tmj", "terrain.tsj") == "maps/terrain.tsj");
  CHECK(join_bundle_path("maps/default.tmj", "./terrain.tsj") == "maps/terrain.tsj");
  CHECK(join_bundle_path("maps/default.tmj", "../tilesets/terrain.tsj") == "tilesets/terrain.tsj");
  CHECK(join_bundle_path("default.tmj", "tilesets//terrain.tsj") == "tilesets/terrain.tsj");
  CHECK(join_bundle_path("maps/a/b.tmj", "../../t.tsj") == "t.tsj");
  CHECK_FALSE(join_bundle_path("maps/default.tmj", "../../terrain.tsj"));
  CHECK_FALSE(join_bundle_path("default.tmj", "../terrain.tsj"));
  CHECK_FALSE(join_bundle_path("maps/default.tmj", "/etc/passwd"));
  CHECK_FALSE(join_bundle_path("maps/default.tmj", ""));
  CHECK_FALSE(join_bundle_path("maps/default.tmj", "."));
  CHECK_FALSE(join_bundle_path("maps/a/default.tmj", ".."));
  CHECK_FALSE(join_bundle_path("maps/default.tmj", "sub/"));
  CHECK_FALSE(join_bundle_path("maps/default.tmj", "sub\\x.tsj"));
}
