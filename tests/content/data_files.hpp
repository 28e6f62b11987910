#pragma once
// Test helper: the shipped game data in data/ (ALPHAMMO_DATA_DIR is set by CMake).

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

namespace content_test {

/// The text of `relative` under data/; fails the test when the file cannot be read.
inline std::string read_data_file(std::string_view relative) {
  const std::string path = std::string(ALPHAMMO_DATA_DIR) + "/" + std::string(relative);
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace content_test
