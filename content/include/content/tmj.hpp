#pragma once
/// \file Tile maps from the text of a Tiled JSON map (.tmj; what is read is in docs/content.md).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "world/content.hpp"
#include "world/result.hpp"
#include "world/tile_map.hpp"

namespace content {

/// Returns the text of the external tileset a map names by `source` (as written in the map,
/// usually relative to the map's directory), or nullopt when it cannot be had.
using TilesetResolver = std::function<std::optional<std::string>(std::string_view source)>;

/// Builds a TileMap from an orthogonal, finite Tiled map: tile layers (CSV or uncompressed
/// base64) give terrain and flags through tileset tile properties; object layers give the player
/// spawn, NPC spawn areas (templates named by key in `templates`) and triggers. External
/// tilesets are read through `resolve`. The first problem is returned as an error starting with
/// `file_name` (or with the tileset's source for a problem inside an external tileset).
[[nodiscard]] world::Result<world::TileMap> parse_tmj(
    std::string_view json, std::string_view file_name,
    const std::vector<world::NpcTemplate>& templates, const TilesetResolver& resolve = {});

/// The `source` of every external tileset a Tiled map names, in order, as written (relative to
/// the map's directory): the files besides the map that parse_tmj will ask its resolver for.
/// Only the map's syntax is checked (an error starting with `file_name`); parse_tmj checks the
/// rest.
[[nodiscard]] world::Result<std::vector<std::string>> tileset_sources(std::string_view json,
                                                                      std::string_view file_name);

}  // namespace content
