#pragma once
/// \file Commands: the only way anything outside the world changes it.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "world/content.hpp"
#include "world/types.hpp"

namespace world {

/// Where a carried item sits.
enum class ItemPlace : std::uint8_t {
  Ground = 0,  ///< On a tile.
  Backpack,    ///< In a backpack slot (index 0..capacity-1).
  Equipment,   ///< Worn (index = EquipSlot - 1).
};
/// Lower-case name ("ground", "backpack", "equipment").
[[nodiscard]] std::string_view to_string(ItemPlace p);

/// An item a saved character carries.
struct CarriedItem {
  std::uint32_t type = 0;                 ///< Index into WorldConfig::item_types.
  std::uint16_t count = 1;                ///< Units (1 for non-stackable items).
  ItemPlace place = ItemPlace::Backpack;  ///< Backpack or Equipment.
  std::uint8_t index = 0;                 ///< Backpack slot, or EquipSlot - 1.
  friend bool operator==(const CarriedItem&, const CarriedItem&) = default;
};

/// A player character's saved state, carried by Join and returned by World::export_character().
struct Character {
  CharacterId id{};   ///< Persistent identity; at most one entity per id is in the world.
  std::string name;   ///< Display name (not interpreted by the rules).
  Position position;  ///< Where it wants to appear; the nearest free walkable tile is used.
  Direction facing = Direction::South;  ///< Initial facing.
  std::uint16_t speed = 50;             ///< Tenths of a tile per second (50 = 5 tiles/s); 1..1000.
  Look look{};                     ///< Body and hair; equipment fields are derived from `items`.
  std::int32_t level = 1;          ///< >= 1.
  std::uint64_t experience = 0;    ///< Total experience.
  std::int32_t hp = 50;            ///< 1..max_hp.
  std::int32_t max_hp = 50;        ///< >= 1.
  std::int32_t mp = 20;            ///< 0..max_mp.
  std::int32_t max_mp = 20;        ///< >= 0.
  std::int32_t attack = 5;         ///< Base attack, without equipment.
  std::int32_t defense = 2;        ///< Base defense, without equipment.
  std::uint8_t vocation = 0;       ///< Index into WorldConfig::vocations.
  std::vector<CarriedItem> items;  ///< Backpack and equipment.
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
/// The actor targets an entity to fight (an unset id clears the target). It swings whenever it
/// stands next to the target and its attack cooldown has passed.
struct Attack {
  EntityId target;  ///< Whom to fight, or unset to stop.
  friend bool operator==(const Attack&, const Attack&) = default;
};
/// The actor picks up an item lying on its own tile or a neighbouring one.
struct PickUp {
  ItemId item;  ///< The ground item.
  friend bool operator==(const PickUp&, const PickUp&) = default;
};
/// The actor drops a carried item (or `count` units of a stack; 0 = all) on its tile.
struct Drop {
  ItemId item;              ///< A backpack or equipment item of the actor.
  std::uint16_t count = 0;  ///< Units to drop; 0 means the whole stack.
  friend bool operator==(const Drop&, const Drop&) = default;
};
/// The actor wears a backpack item; what was worn in that slot goes to the item's backpack slot.
struct Equip {
  ItemId item;  ///< A backpack item with an equipment slot.
  friend bool operator==(const Equip&, const Equip&) = default;
};
/// The actor takes off what it wears in `slot` into the first free backpack slot.
struct Unequip {
  EquipSlot slot = EquipSlot::Weapon;  ///< Head, Body or Weapon.
  friend bool operator==(const Unequip&, const Unequip&) = default;
};
/// The actor uses a backpack item (potions heal and are consumed one unit at a time).
struct Use {
  ItemId item;  ///< A usable backpack item.
  friend bool operator==(const Use&, const Use&) = default;
};
/// The actor moves a backpack item to another backpack slot (swapping with what is there).
struct MoveItem {
  ItemId item;               ///< A backpack item of the actor.
  std::uint8_t to_slot = 0;  ///< Destination backpack slot.
  friend bool operator==(const MoveItem&, const MoveItem&) = default;
};
/// The actor casts a spell (WorldConfig::spells). Self and Area spells need no aim; Creature
/// spells name `target`; Tile spells name `tile`.
struct Cast {
  std::uint32_t spell = 0;  ///< Spell id.
  EntityId target;          ///< Creature spells: whom.
  Position tile;            ///< Tile spells: where.
  friend bool operator==(const Cast&, const Cast&) = default;
};

/// The actor says something; players within the chat radius hear it.
struct Say {
  std::string text;  ///< 1..200 code points of valid UTF-8, no control characters.
  friend bool operator==(const Say&, const Say&) = default;
};
/// A system message from the server: to one player (actor set) or to everyone (actor unset).
struct Announce {
  std::string text;  ///< 1..200 code points of valid UTF-8, no control characters.
  friend bool operator==(const Announce&, const Announce&) = default;
};

/// What a command asks for.
using CommandPayload = std::variant<Join, Leave, Move, Face, Attack, PickUp, Drop, Equip, Unequip,
                                    Use, MoveItem, Cast, Say, Announce>;

/// One intent for one tick.
struct Command {
  EntityId actor;          ///< Who acts (unused by Join; optional for Announce).
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
  Cooldown,           ///< Move: it moved too recently (see its speed); Cast: a spell's cooldown.
  AlreadyInWorld,     ///< Join of a character that is already in the world.
  NoFreeTile,         ///< Join found no free walkable tile.
  InvalidArgument,    ///< A field is out of range (direction, speed, stats, items, slot).
  NotAPlayer,         ///< The command is for players only (Leave, items, chat).
  InvalidTarget,      ///< Attack: the target does not exist (or is stale).
  SelfTarget,         ///< Attack: an entity cannot fight itself.
  NotAttackable,      ///< Attack: the target may not be attacked (players while PvP is off).
  ProtectionZone,     ///< Attack: the actor or the target stands in a protection zone.
  NoSuchItem,         ///< The item does not exist, is stale, or is not where the command needs it.
  NotAdjacent,        ///< PickUp: the item is not on the actor's tile or a neighbouring one.
  BackpackFull,       ///< No free backpack slot (and no stack to merge into).
  NotEquippable,      ///< Equip: the item has no equipment slot.
  NotUsable,          ///< Use: the item does nothing when used.
  EmptySlot,          ///< Unequip: nothing is worn there.
  InvalidText,        ///< Say/Announce: empty, too long, invalid UTF-8 or control characters.
  NotEnoughMana,      ///< Cast: the actor has less MP than the spell costs.
  OutOfRange,         ///< Cast: the target creature or tile is farther than the spell's range.
  NoLineOfSight,      ///< Cast: a wall stands between the actor and its target.
  NotYourVocation,    ///< Cast/Equip: the actor's vocation cannot cast that spell or wield that.
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

/// Checks chat text: 1..200 code points of valid UTF-8 without control characters.
[[nodiscard]] bool valid_chat_text(std::string_view text);

}  // namespace world
