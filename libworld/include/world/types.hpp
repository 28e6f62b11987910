#pragma once
/// \file Basic value types shared by every part of libworld.

#include <compare>
#include <cstdint>
#include <string_view>

namespace world {

/// Simulation time: the number of fixed steps since the world was created.
using Tick = std::uint64_t;

/// The persistent identity of a player character (the database's key); survives logins.
enum class CharacterId : std::uint64_t {};

/// Handle to an entity: a slot index plus the generation of that slot.
/// A handle whose generation no longer matches its slot is stale and is detected, never used.
struct EntityId {
  std::uint32_t index = 0;       ///< Slot in the world's entity pool.
  std::uint32_t generation = 0;  ///< 0 means "no entity"; live entities have generation >= 1.

  /// True for a handle that may name an entity (it can still be stale).
  [[nodiscard]] constexpr bool is_set() const { return generation != 0; }
  friend constexpr auto operator<=>(const EntityId&, const EntityId&) = default;
};

/// Handle to an item instance: a slot in the world's item pool plus its generation.
struct ItemId {
  std::uint32_t index = 0;       ///< Slot in the item pool.
  std::uint32_t generation = 0;  ///< 0 means "no item".
  /// True for a handle that may name an item (it can still be stale).
  [[nodiscard]] constexpr bool is_set() const { return generation != 0; }
  friend constexpr auto operator<=>(const ItemId&, const ItemId&) = default;
};

/// A tile coordinate; x grows east, y grows south.
struct Position {
  std::int32_t x = 0;  ///< Column.
  std::int32_t y = 0;  ///< Row.
  friend constexpr auto operator<=>(const Position&, const Position&) = default;
};

/// The four directions a creature can face and step in.
enum class Direction : std::uint8_t { North = 0, East = 1, South = 2, West = 3 };

/// Number of values of Direction.
inline constexpr std::uint32_t kDirectionCount = 4;

/// The neighbouring tile of `p` in direction `d`.
[[nodiscard]] constexpr Position step_towards(Position p, Direction d) {
  switch (d) {
    case Direction::North:
      return {p.x, p.y - 1};
    case Direction::East:
      return {p.x + 1, p.y};
    case Direction::South:
      return {p.x, p.y + 1};
    case Direction::West:
      return {p.x - 1, p.y};
  }
  return p;
}

/// Chebyshev distance: the number of king moves between two tiles (the view and chat radius
/// metric).
[[nodiscard]] constexpr std::int32_t chebyshev(Position a, Position b) {
  const std::int32_t dx = a.x > b.x ? a.x - b.x : b.x - a.x;
  const std::int32_t dy = a.y > b.y ? a.y - b.y : b.y - a.y;
  return dx > dy ? dx : dy;
}

/// What an entity is.
enum class EntityKind : std::uint8_t { Player = 0, Npc = 1 };

/// Lower-case name of a direction ("north", ...).
[[nodiscard]] std::string_view to_string(Direction d);
/// Lower-case name of an entity kind ("player", "npc").
[[nodiscard]] std::string_view to_string(EntityKind k);

}  // namespace world
