#pragma once
/// \file Line of sight between two tiles: the rule ranged attacks and spells use.

#include "world/tile_map.hpp"
#include "world/types.hpp"

namespace world {

/// True when nothing blocks the view from tile `a` to tile `b`. The line joins the centres of the
/// two tiles; at every whole step along its longer axis (the end tiles excluded) the tile nearest
/// to the line is looked at, and the view is blocked when that tile has kBlocksSight (or is off
/// the map). Where the line passes exactly between two tiles, it is blocked only when both are.
/// Symmetric (line_of_sight(m, a, b) == line_of_sight(m, b, a)) and integer-only; creatures never
/// block it. Tiles at Chebyshev distance <= 1 always see each other.
[[nodiscard]] bool line_of_sight(const TileMap& map, Position a, Position b);

}  // namespace world
