#pragma once
/// \file The movement rule a step follows, shared by the world and by clients that predict
/// their own moves (Quake III's bg_pmove: "can be called by either the server or the client").
/// World::step() refuses a Move with exactly these checks, in this order: the actor's cooldown,
/// check_step() on the map, then the occupancy of the target tile.

#include <cstdint>
#include <optional>

#include "world/command.hpp"
#include "world/tile_map.hpp"
#include "world/types.hpp"

namespace world {

/// Ticks between two steps of a creature of `speed` (tenths of a tile per second) in a world
/// ticking at `tick_rate_hz`: at least 1; "never" (~0u) for speed 0.
[[nodiscard]] constexpr std::uint32_t move_cooldown_ticks(std::uint32_t tick_rate_hz,
                                                          std::uint16_t speed) {
  if (speed == 0) return ~0u;
  const std::uint32_t tenths = tick_rate_hz * 10u;
  const std::uint32_t ticks = (tenths + speed - 1) / speed;
  return ticks < 1 ? 1 : ticks;
}

/// Why the map refuses a step from `from` towards `d` (OutOfBounds, Blocked), or nullopt when
/// the target tile may be entered. Creatures on the tile are the caller's to check.
[[nodiscard]] inline std::optional<RejectReason> check_step(const TileMap& map, Position from,
                                                            Direction d) {
  const Position to = step_towards(from, d);
  if (!map.in_bounds(to)) return RejectReason::OutOfBounds;
  if (!map.walkable(to)) return RejectReason::Blocked;
  return std::nullopt;
}

}  // namespace world
