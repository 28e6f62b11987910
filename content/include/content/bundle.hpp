#pragma once
/// \file A complete content bundle (items, spells, vocations, NPC templates, map) ready to build
/// a World from.

#include <array>
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
  /// Seed, default tick rate, items, spells, vocations and NPC templates.
  world::WorldConfig config;
  std::shared_ptr<const world::TileMap> map;  ///< The parsed map (never null in a loaded bundle).
};

/// The texts of a bundle, read by the caller, and the names used in error messages.
struct BundleTexts {
  std::string items_json;                         ///< Text of items.json.
  std::string spells_json;                        ///< Text of spells.json.
  std::string vocations_json;                     ///< Text of vocations.json.
  std::string npcs_json;                          ///< Text of npcs.json.
  std::string map_tmj;                            ///< Text of the Tiled map.
  std::string items_name = "items.json";          ///< Names items_json in errors.
  std::string spells_name = "spells.json";        ///< Names spells_json in errors.
  std::string vocations_name = "vocations.json";  ///< Names vocations_json in errors.
  std::string npcs_name = "npcs.json";            ///< Names npcs_json in errors.
  std::string map_name = "map.tmj";               ///< Names map_tmj in errors.
  TilesetResolver resolve;  ///< Reads the map's external tilesets (may be empty).
};

/// Parses items, then spells, then vocations against both, then NPC templates against items and
/// spells, then the map against the templates. The config gets `seed` and the default tick rate.
/// The first problem is returned as an error.
[[nodiscard]] world::Result<Bundle> load_bundle(const BundleTexts& texts, std::uint64_t seed = 1);

/// One file of a bundle held in memory: its path inside the bundle and its bytes.
struct ContentFile {
  std::string path;   ///< A bundle path (content/bundle_path.hpp), e.g. "maps/default.tmj".
  std::string bytes;  ///< Its contents.
  friend bool operator==(const ContentFile&, const ContentFile&) = default;
};

/// The files every bundle has at its root, besides its map (and the map's tilesets), in the
/// order they are parsed.
inline constexpr std::array<std::string_view, 4> kBundleRootFiles{"items.json", "spells.json",
                                                                  "vocations.json", "npcs.json"};

/// Loads a bundle from files in memory laid out as on disk: kBundleRootFiles at the root, the map
/// at `map`, its external tilesets where their `source` leads from the map's directory
/// (join_bundle_path). Errors name files by their bundle paths.
[[nodiscard]] world::Result<Bundle> load_bundle(std::span<const ContentFile> files,
                                                std::string_view map, std::uint64_t seed = 1);

}  // namespace content
