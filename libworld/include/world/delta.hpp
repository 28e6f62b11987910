#pragma once
/// \file Deltas: what changed in one tick, as plain values. Every frontend consumes these.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "world/types.hpp"

namespace world {

/// Everything a viewer needs to draw an entity it has not seen before.
struct EntityState {
  EntityId id;                          ///< Handle.
  EntityKind kind = EntityKind::Npc;    ///< Player or NPC.
  Position position;                    ///< Tile.
  Direction facing = Direction::South;  ///< Facing.
  std::uint16_t speed = 0;              ///< Tenths of a tile per second.
  CharacterId character{};              ///< Players: the character's id; NPCs: 0.
  std::uint32_t npc_template = 0;       ///< NPCs: template index; players: 0.
  std::string name;                     ///< Players: character name; NPCs: empty.
  friend bool operator==(const EntityState&, const EntityState&) = default;
};

/// Why an entity left the world.
enum class RemoveReason : std::uint8_t {
  Left = 0,  ///< A Leave command.
};
/// Lower-case name of a remove reason.
[[nodiscard]] std::string_view to_string(RemoveReason r);

/// An entity entered the world (join, spawn).
struct Appeared {
  EntityState entity;  ///< Its full state.
  friend bool operator==(const Appeared&, const Appeared&) = default;
};
/// An entity stepped from one tile to a neighbour.
struct Moved {
  EntityId id;                          ///< Who.
  Position from;                        ///< Old tile.
  Position to;                          ///< New tile.
  Direction facing = Direction::North;  ///< Facing after the step.
  friend bool operator==(const Moved&, const Moved&) = default;
};
/// An entity turned in place.
struct Faced {
  EntityId id;                          ///< Who.
  Position position;                    ///< Where it stands (for interest filtering).
  Direction facing = Direction::North;  ///< New facing.
  friend bool operator==(const Faced&, const Faced&) = default;
};
/// An entity left the world; its id is stale from now on.
struct Removed {
  EntityId id;                               ///< Who.
  Position position;                         ///< Last tile (for interest filtering).
  RemoveReason reason = RemoveReason::Left;  ///< Why.
  friend bool operator==(const Removed&, const Removed&) = default;
};

/// One change. Deltas of a tick are in the order the rules produced them.
using Delta = std::variant<Appeared, Moved, Faced, Removed>;

}  // namespace world
