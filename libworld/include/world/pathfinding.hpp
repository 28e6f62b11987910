#pragma once
/// \file Budgeted A* on the tile grid: the first step towards a goal, deterministically.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "world/tile_map.hpp"
#include "world/types.hpp"

namespace world {

/// A search request.
struct PathQuery {
  Position from;                   ///< Start tile (its occupant is the searcher itself).
  Position goal;                   ///< Target tile.
  std::int32_t goal_range = 1;     ///< Reached when chebyshev(tile, goal) <= goal_range.
  std::uint32_t node_budget = 64;  ///< Most tiles expanded; the search stops there.
};

/// What a search found.
struct PathStep {
  std::optional<Direction> first;  ///< First step of the best path found, if any progress.
  std::uint32_t expanded = 0;      ///< Tiles expanded (<= node_budget).
  bool reached = false;            ///< True when the goal region was reached within budget.
};

/// A* over 4-neighbour steps with a Manhattan-to-goal-region heuristic. Passable tiles are
/// walkable and unoccupied. Ties are broken by (f, h, discovery order), and neighbours are
/// discovered north, east, south, west, so the result is the same on every platform. When the
/// budget runs out it steps towards the discovered tile closest to the goal. Holds scratch
/// buffers: reuse one instance to avoid allocation.
class PathFinder {
 public:
  /// Where unwalkable tiles are known from.
  enum class Walls : std::uint8_t {
    FromMap,      ///< the map's walkable flag (occupancy holds creatures only)
    InOccupancy,  ///< occupancy is nonzero on every unwalkable tile (the World's): the map's
                  ///< tiles are not read, one cache miss less per neighbour on a large map
  };
  /// Searches `map`; `occupancy` has one entry per tile, 0 when the tile is free.
  PathStep find(const PathQuery& q, const TileMap& map, std::span<const std::uint32_t> occupancy,
                Walls walls = Walls::FromMap);

 private:
  struct Node {
    std::uint32_t tile;
    std::uint32_t g;
    std::uint32_t h;
    std::uint8_t first;  // direction of the first step from the start (4 = none: the start)
  };
  struct Open {
    std::uint32_t f, h, seq, node;
  };
  std::vector<Node> nodes_;
  std::vector<Open> open_;
  std::vector<std::uint32_t> table_;  // open addressing: tile + 1 -> node index, 0 = empty
  std::vector<std::uint32_t> table_node_;
};

}  // namespace world
