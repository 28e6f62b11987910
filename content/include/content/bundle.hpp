#pragma once
/// \file A complete content bundle (items, NPC templates, map) ready to build a World from.

#include <cstdint>
#include <memory>
#include <string>

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

}  // namespace content
