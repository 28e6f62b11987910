#pragma once
/// \file Seeded generator for arena / field maps (for arenas, tests and large benchmark maps).

#include <cstdint>

#include "world/tile_map.hpp"

namespace world {

/// Parameters of generate_arena(). Same parameters, same map, on every platform.
struct ArenaParams {
  std::int32_t width = 128;             ///< Columns (>= 8).
  std::int32_t height = 128;            ///< Rows (>= 8).
  std::uint64_t seed = 1;               ///< Generator seed.
  std::uint32_t obstacle_percent = 12;  ///< Rough share of the interior covered by obstacles.
  std::uint32_t npc_count = 0;          ///< NPCs to place, spread over the spawn areas.
  std::int32_t spawn_area_radius = 12;  ///< Radius of each generated spawn area.
  std::uint32_t npcs_per_area = 50;     ///< Target NPCs per spawn area (sets how many areas).
  std::uint32_t npc_template = 0;       ///< Template index the spawn areas use.
};

/// Builds a walled arena: border walls, scattered wall blocks, tree clusters and ponds, with
/// open areas between. The walkable area is always 4-connected (isolated pockets are joined
/// to the main area by carved corridors). The player spawn is a walkable tile near the middle.
[[nodiscard]] TileMap generate_arena(const ArenaParams& params);

}  // namespace world
