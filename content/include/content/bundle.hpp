#pragma once
/// \file A complete content bundle (items, NPC templates, map) ready to build a World from.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "content/tmj.hpp"
#include "world/config.hpp"
#include "world/result.hpp"
#include "world/tile_map.hpp"

namespace content {

/// What a World is built from: `world::World w{bundle.config, bundle.map};`.
struct Bundle {
  world::WorldConfig config;                  ///< Seed, default tick rate, templates and items.
  std::shared_ptr<const world::TileMap> map;  ///< The parsed map (never null in a loaded bundle).
};

/// The texts of a bundle, read by the caller, and the names used in error messages.
struct BundleTexts {
  std::string items_json;                 ///< Text of items.json.
  std::string npcs_json;                  ///< Text of npcs.json.
  std::string map_tmj;                    ///< Text of the Tiled map.
  std::string items_name = "items.json";  ///< Names items_json in errors.
  std::string npcs_name = "npcs.json";    ///< Names npcs_json in errors.
  std::string map_name = "map.tmj";       ///< Names map_tmj in errors.
  TilesetResolver resolve;                ///< Reads the map's external tilesets (may be empty).
};

/// Parses items, then NPC templates against them, then the map against the templates. The
/// config gets `seed` and the default tick rate. The first problem is returned as an error.
[[nodiscard]] world::Result<Bundle> load_bundle(const BundleTexts& texts, std::uint64_t seed = 1);

/// One file of a bundle held in memory: its path inside the bundle and its bytes.
struct ContentFile {
  std::string path;   ///< A bundle path (content/bundle_path.hpp), e.g. "maps/default.tmj".
  std::string bytes;  ///< Its contents.
  friend bool operator==(const ContentFile&, const ContentFile&) = default;
};

/// Loads a bundle from files in memory laid out as on disk: `items.json` and `npcs.json` at the
/// root, the map at `map`, its external tilesets where their `source` leads from the map's
/// directory (join_bundle_path). Errors name files by their bundle paths.
[[nodiscard]] world::Result<Bundle> load_bundle(std::span<const ContentFile> files,
                                                std::string_view map, std::uint64_t seed = 1);

}  // namespace content
