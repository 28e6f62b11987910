#pragma once
/// \file Commands: the only way anything outside the world changes it.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "world/types.hpp"

namespace world {

/// A player character's saved state, carried by Join.
struct Character {
  CharacterId id{};   ///< Persistent identity; at most one entity per id is in the world.
  std::string name;   ///< Display name (not interpreted by the rules).
  Position position;  ///< Where it wants to appear; the nearest free walkable tile is used.
  Direction facing = Direction::South;  ///< Initial facing.
  std::uint16_t speed = 50;             ///< Tenths of a tile per second (50 = 5 tiles/s); 1..1000.
  friend bool operator==(const Character&, const Character&) = default;
};

/// A player enters the world with its saved character. The actor field of the command is unused.
struct Join {
  Character character;  ///< The character to place.
  friend bool operator==(const Join&, const Join&) = default;
};
/// The actor leaves the world (logout, disconnect).
struct Leave {
  friend bool operator==(const Leave&, const Leave&) = default;
};
/// The actor steps one tile; it also turns to face that way.
struct Move {
  Direction direction = Direction::North;  ///< Where to step.
  friend bool operator==(const Move&, const Move&) = default;
};
/// The actor turns without moving.
struct Face {
  Direction direction = Direction::North;  ///< Where to look.
  friend bool operator==(const Face&, const Face&) = default;
};

/// What a command asks for.
using CommandPayload = std::variant<Join, Leave, Move, Face>;

/// One intent for one tick.
struct Command {
  EntityId actor;          ///< Who acts (unused by Join).
  CommandPayload payload;  ///< What it wants.
  std::uint32_t seq = 0;   ///< Client's sequence number, echoed in rejections (0 if unused).
  friend bool operator==(const Command&, const Command&) = default;
};

/// Why a command was refused. A refused command changes nothing.
enum class RejectReason : std::uint8_t {
  UnknownEntity = 0,  ///< No entity ever had this index, or the slot is empty.
  StaleEntity,        ///< The slot was reused: the handle's generation is old.
  OutOfBounds,        ///< The target tile is off the map.
  Blocked,            ///< The target tile is not walkable.
  Occupied,           ///< Another creature stands on the target tile.
  Cooldown,           ///< The actor moved too recently (see its speed).
  AlreadyInWorld,     ///< Join of a character that is already in the world.
  NoFreeTile,         ///< Join found no free walkable tile.
  InvalidArgument,    ///< A field is out of range (direction, speed).
  NotAPlayer,         ///< The command is for players only (Leave).
};

/// Stable lower-case name of a reason ("occupied", "cooldown", ...), as used on the wire.
[[nodiscard]] std::string_view to_string(RejectReason r);

/// A refused command.
struct Rejection {
  std::uint32_t command_index = 0;  ///< Position of the command in the span given to step().
  EntityId actor;                   ///< The command's actor.
  std::uint32_t seq = 0;            ///< The command's seq.
  RejectReason reason = RejectReason::UnknownEntity;  ///< Why.
  friend bool operator==(const Rejection&, const Rejection&) = default;
};

}  // namespace world
