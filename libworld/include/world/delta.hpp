#pragma once
/// \file Deltas: what changed in one tick, as plain values. Every frontend consumes these.

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "world/command.hpp"
#include "world/content.hpp"
#include "world/tile_map.hpp"
#include "world/types.hpp"

namespace world {

/// Hit points, mana and level of a creature.
struct Vitals {
  std::int32_t hp = 0;      ///< Current hit points (0..max_hp).
  std::int32_t max_hp = 0;  ///< Maximum hit points.
  std::int32_t mp = 0;      ///< Current mana.
  std::int32_t max_mp = 0;  ///< Maximum mana.
  std::int32_t level = 1;   ///< Level.
  friend bool operator==(const Vitals&, const Vitals&) = default;
};

/// Everything a viewer needs to draw an entity it has not seen before.
struct EntityState {
  EntityId id;                          ///< Handle.
  EntityKind kind = EntityKind::Npc;    ///< Player or NPC.
  Position position;                    ///< Tile.
  Direction facing = Direction::South;  ///< Facing.
  std::uint16_t speed = 0;              ///< Tenths of a tile per second.
  CharacterId character{};              ///< Players: the character's id; NPCs: 0.
  std::uint32_t npc_template = 0;       ///< NPCs: template index; players: 0.
  std::string name;                     ///< Character name, or the NPC template's name.
  Look look{};                          ///< Body, hair and worn equipment.
  Vitals vitals{};                      ///< HP, MP and level.
  EntityId target;                      ///< Whom it fights (unset when nobody).
  friend bool operator==(const EntityState&, const EntityState&) = default;
};

/// A carried item as its owner sees it.
struct ItemState {
  ItemId id;                            ///< Handle.
  std::uint32_t type = 0;               ///< Index into WorldConfig::item_types.
  std::uint16_t count = 1;              ///< Units.
  ItemPlace place = ItemPlace::Ground;  ///< Where it is.
  std::uint8_t index = 0;               ///< Backpack slot or EquipSlot - 1.
  Position position;                    ///< Ground items: their tile.
  friend bool operator==(const ItemState&, const ItemState&) = default;
};

/// Who may see a delta. Every delta type declares its audience next to its definition
/// (`static constexpr Audience audience`); a server routes deltas by that declaration and nothing
/// else, and a delta type without one does not compile (see the static_assert below `Delta`).
enum class Audience : std::uint8_t {
  Entity,     ///< Whoever sees the entity it is about (hit and missed: either of the two).
  Owner,      ///< Only the player it concerns.
  Place,      ///< Whoever sees its tile (ground items; chat within the chat radius).
  Addressed,  ///< Its recipient, or everyone when it names none.
};
/// Lower-case name of an audience.
[[nodiscard]] std::string_view to_string(Audience a);

/// Why an entity left the world.
enum class RemoveReason : std::uint8_t {
  Left = 0,  ///< A Leave command.
  Died,      ///< An NPC died (its spawn area replaces it later).
  /// Not a world event: a server tells a client that the entity left the client's view (the
  /// entity still exists and its id stays valid). libworld never emits it.
  OutOfView,
};
/// Lower-case name of a remove reason.
[[nodiscard]] std::string_view to_string(RemoveReason r);

/// An entity entered the world (join, spawn, respawn).
struct Appeared {
  static constexpr Audience audience = Audience::Entity;
  EntityState entity;  ///< Its full state.
  friend bool operator==(const Appeared&, const Appeared&) = default;
};
/// An entity stepped from one tile to a neighbour.
struct Moved {
  static constexpr Audience audience = Audience::Entity;
  EntityId id;                          ///< Who.
  Position from;                        ///< Old tile.
  Position to;                          ///< New tile.
  Direction facing = Direction::North;  ///< Facing after the step.
  friend bool operator==(const Moved&, const Moved&) = default;
};
/// An entity jumped to a tile that need not be a neighbour (teleport trigger, player respawn).
struct Teleported {
  static constexpr Audience audience = Audience::Entity;
  EntityId id;    ///< Who.
  Position from;  ///< Old tile.
  Position to;    ///< New tile.
  friend bool operator==(const Teleported&, const Teleported&) = default;
};
/// An entity turned in place.
struct Faced {
  static constexpr Audience audience = Audience::Entity;
  EntityId id;                          ///< Who.
  Position position;                    ///< Where it stands (for interest filtering).
  Direction facing = Direction::North;  ///< New facing.
  friend bool operator==(const Faced&, const Faced&) = default;
};
/// An entity left the world; its id is stale from now on.
struct Removed {
  static constexpr Audience audience = Audience::Entity;
  EntityId id;                               ///< Who.
  Position position;                         ///< Last tile (for interest filtering).
  RemoveReason reason = RemoveReason::Left;  ///< Why.
  friend bool operator==(const Removed&, const Removed&) = default;
};
/// An entity chose (or dropped, when `target` is unset) whom it fights.
struct Targeted {
  static constexpr Audience audience = Audience::Entity;
  EntityId id;        ///< The attacker.
  Position position;  ///< Its tile.
  EntityId target;    ///< Its new target, or unset.
  friend bool operator==(const Targeted&, const Targeted&) = default;
};
/// A melee swing landed.
struct Hit {
  static constexpr Audience audience = Audience::Entity;
  EntityId attacker;           ///< Who swung.
  EntityId target;             ///< Who was hit.
  Position position;           ///< The target's tile.
  std::int32_t damage = 0;     ///< HP taken (>= 1).
  std::int32_t target_hp = 0;  ///< The target's HP afterwards (0 = it died).
  friend bool operator==(const Hit&, const Hit&) = default;
};
/// A melee swing missed.
struct Missed {
  static constexpr Audience audience = Audience::Entity;
  EntityId attacker;  ///< Who swung.
  EntityId target;    ///< Who dodged.
  Position position;  ///< The target's tile.
  friend bool operator==(const Missed&, const Missed&) = default;
};
/// A creature died. NPCs are then Removed; players are Teleported to the temple.
struct Died {
  static constexpr Audience audience = Audience::Entity;
  EntityId id;        ///< Who died.
  Position position;  ///< Where.
  EntityId killer;    ///< Who dealt the last blow (unset for traps).
  friend bool operator==(const Died&, const Died&) = default;
};
/// HP, MP or level changed for another reason than a hit (regeneration, potion, level-up,
/// trigger, respawn).
struct VitalsChanged {
  static constexpr Audience audience = Audience::Entity;
  EntityId id;        ///< Whose.
  Position position;  ///< Its tile.
  Vitals vitals;      ///< New values.
  friend bool operator==(const VitalsChanged&, const VitalsChanged&) = default;
};
/// A player's experience changed (kills, death penalty). Only its owner needs it.
struct ExperienceChanged {
  static constexpr Audience audience = Audience::Owner;
  EntityId id;                   ///< Whose.
  std::uint64_t experience = 0;  ///< New total.
  friend bool operator==(const ExperienceChanged&, const ExperienceChanged&) = default;
};
/// A creature's look changed (it equipped or took off something).
struct LookChanged {
  static constexpr Audience audience = Audience::Entity;
  EntityId id;        ///< Whose.
  Position position;  ///< Its tile.
  Look look;          ///< New look.
  friend bool operator==(const LookChanged&, const LookChanged&) = default;
};
/// An item now lies on a tile (dropped, loot, or left when a stack was split).
struct ItemDropped {
  static constexpr Audience audience = Audience::Place;
  ItemState item;  ///< The ground item (place == Ground).
  friend bool operator==(const ItemDropped&, const ItemDropped&) = default;
};
/// A ground item is gone from its tile (picked up or decayed).
struct ItemTaken {
  static constexpr Audience audience = Audience::Place;
  ItemId id;          ///< The item.
  Position position;  ///< The tile it lay on.
  friend bool operator==(const ItemTaken&, const ItemTaken&) = default;
};
/// An item entered or changed in a player's backpack or equipment. Only its owner needs it.
struct InventoryChanged {
  static constexpr Audience audience = Audience::Owner;
  EntityId owner;  ///< The player.
  ItemState item;  ///< Its new state (place Backpack or Equipment).
  friend bool operator==(const InventoryChanged&, const InventoryChanged&) = default;
};
/// An item left a player's backpack or equipment (dropped, used up, merged). Owner only.
struct InventoryRemoved {
  static constexpr Audience audience = Audience::Owner;
  EntityId owner;  ///< The player.
  ItemId item;     ///< The item that left.
  friend bool operator==(const InventoryRemoved&, const InventoryRemoved&) = default;
};
/// A creature spoke. Players within WorldConfig::chat_radius of `position` hear it.
struct Said {
  static constexpr Audience audience = Audience::Place;
  EntityId id;        ///< Speaker.
  Position position;  ///< Where it stood.
  std::string name;   ///< Its name.
  std::string text;   ///< What it said.
  friend bool operator==(const Said&, const Said&) = default;
};
/// A system message: to one player (`to` set) or to everyone (`to` unset).
struct SystemMessage {
  static constexpr Audience audience = Audience::Addressed;
  EntityId to;       ///< Recipient, or unset for everyone.
  std::string text;  ///< The message.
  friend bool operator==(const SystemMessage&, const SystemMessage&) = default;
};
/// A trigger tile fired for a player. Only that player needs the message.
struct TriggerFired {
  static constexpr Audience audience = Audience::Owner;
  EntityId id;                              ///< The player.
  Position position;                        ///< The trigger's tile.
  TriggerKind kind = TriggerKind::Message;  ///< What it did.
  std::string message;                      ///< The map's message (may be empty).
  friend bool operator==(const TriggerFired&, const TriggerFired&) = default;
};

/// A ranged attack left its shooter (drawn as a projectile); a Hit or Missed follows.
struct Shot {
  static constexpr Audience audience = Audience::Entity;
  EntityId attacker;  ///< Who shot.
  EntityId target;    ///< At whom.
  Position from;      ///< The shooter's tile.
  Position to;        ///< The target's tile.
  friend bool operator==(const Shot&, const Shot&) = default;
};
/// A creature cast a spell. Its effects follow as Hit (damage) and VitalsChanged (healing) deltas.
struct SpellCast {
  static constexpr Audience audience = Audience::Entity;
  EntityId caster;          ///< Who cast it.
  Position position;        ///< The caster's tile.
  std::uint32_t spell = 0;  ///< Spell id.
  EntityId target;          ///< Creature spells: the target; otherwise unset.
  Position centre;          ///< Where it lands: the target's tile, the tile, or the caster's tile.
  friend bool operator==(const SpellCast&, const SpellCast&) = default;
};
/// A player's attack or defense changed: a level-up (its base values, Character::attack and
/// defense) or an equipment change (its totals). Only its owner needs it; what others draw
/// (level, max HP) is in VitalsChanged.
struct StatsChanged {
  static constexpr Audience audience = Audience::Owner;
  EntityId id;                     ///< The player.
  std::int32_t attack = 0;         ///< Base attack (Character::attack).
  std::int32_t defense = 0;        ///< Base defense (Character::defense).
  std::int32_t total_attack = 0;   ///< Attack with equipment: what its swings use.
  std::int32_t total_defense = 0;  ///< Defense with equipment: what hits against it meet.
  friend bool operator==(const StatsChanged&, const StatsChanged&) = default;
};

/// One change. Deltas of a tick are in the order the rules produced them.
using Delta = std::variant<Appeared, Moved, Teleported, Faced, Removed, Targeted, Hit, Missed, Died,
                           VitalsChanged, ExperienceChanged, LookChanged, ItemDropped, ItemTaken,
                           InventoryChanged, InventoryRemoved, Said, SystemMessage, TriggerFired,
                           Shot, SpellCast, StatsChanged>;

/// A delta type: declares who may see it.
template <class T>
concept DeclaresAudience = requires {
  { T::audience } -> std::convertible_to<Audience>;
};
namespace detail {
template <class V>
struct EveryAlternativeDeclaresAudience;
template <class... Ts>
struct EveryAlternativeDeclaresAudience<std::variant<Ts...>>
    : std::bool_constant<(DeclaresAudience<Ts> && ...)> {};
}  // namespace detail
static_assert(detail::EveryAlternativeDeclaresAudience<Delta>::value,
              "every delta type declares `static constexpr Audience audience`");

/// The audience a delta's type declares.
[[nodiscard]] inline Audience audience_of(const Delta& d) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::audience; }, d);
}

}  // namespace world

namespace world {
/// A one-line human-readable form of a delta, e.g. "hit 3#1 -> 7#2 for 5 (hp 12)". For logs,
/// examples and test messages; frontends use the structured fields.
[[nodiscard]] std::string describe(const Delta& d);
/// "12#1": slot and generation of an entity id ("-" when unset).
[[nodiscard]] std::string describe(EntityId id);
}  // namespace world
