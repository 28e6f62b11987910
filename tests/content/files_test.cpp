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
  std::filesystem::create_directories(dir);
  const auto r = content::load_bundle_files(dir);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find((dir / "items.json").string()) != std::string::npos);
  std::filesystem::remove_all(dir);
}
