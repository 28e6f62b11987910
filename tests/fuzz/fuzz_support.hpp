#pragma once
// What the fuzz targets share: how a failed property stops the run, how an input splits into
// messages, the world the snapshot target and the seed maker agree on, and the shipped content.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios.hpp"
#include "world/map_gen.hpp"
#include "world/world.hpp"

namespace fuzz {

/// Stops the target when a property fails: libFuzzer keeps the input as a crash.
inline void require(bool ok, std::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz: property failed: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

/// The input as text.
inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// The input's lines (one message each), at most `limit` of them.
inline std::vector<std::string_view> lines_of(std::string_view text, std::size_t limit) {
  std::vector<std::string_view> out;
  while (!text.empty() && out.size() < limit) {
    const std::size_t end = text.find('\n');
    out.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

/// A small arena with aggressive rats and loot (demo content): the world of the snapshot and
/// session targets and of the seeds made for them.
inline world::World small_world() {
  world::ArenaParams p;
  p.width = 16;
  p.height = 16;
  p.seed = 5;
  p.npc_count = 6;
  p.npcs_per_area = 3;
  p.spawn_area_radius = 4;
  p.npc_template = scenarios::kRat;
  return scenarios::arena_world(p, scenarios::demo_config(3));
}

/// A file of the shipped content (data/), read once by the content targets.
inline std::string read_data_file(const std::string& name) {
  std::ifstream in(std::string{ALPHAMMO_DATA_DIR} + "/" + name, std::ios::binary);
  require(in.good(), "the shipped content file is readable");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace fuzz
