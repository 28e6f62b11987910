#pragma once
/// \file Game content the rules read: item types, NPC templates, looks. Plain data with defaults;
/// the content/ library fills them from JSON and Tiled maps, tests and tools build them in code.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace world {

/// What an item is for.
enum class ItemKind : std::uint8_t { Misc = 0, Weapon, Helmet, Armor, Potion, Gold };
/// Where an item is worn. None for items that cannot be equipped.
enum class EquipSlot : std::uint8_t { None = 0, Head, Body, Weapon };
/// Number of wearable slots (Head, Body, Weapon).
inline constexpr std::uint32_t kEquipSlotCount = 3;

/// Lower-case names ("weapon", "head", ...), as used in content files and on the wire.
[[nodiscard]] std::string_view to_string(ItemKind k);
[[nodiscard]] std::string_view to_string(EquipSlot s);

/// One kind of item. Its index in WorldConfig::item_types is its type id.
struct ItemType {
  std::string key;                   ///< Stable content name, e.g. "short_sword".
  std::string name;                  ///< Display name, e.g. "Short Sword".
  ItemKind kind = ItemKind::Misc;    ///< Category.
  EquipSlot slot = EquipSlot::None;  ///< Where it is worn (weapons: Weapon, helmets: Head...).
  std::int32_t attack = 0;           ///< Added to the wearer's attack while equipped.
  std::int32_t defense = 0;          ///< Added to the wearer's defense while equipped.
  std::int32_t heal_hp = 0;          ///< Potions: HP restored by Use.
  std::int32_t heal_mp = 0;          ///< Potions: MP restored by Use.
  bool stackable = false;            ///< Several units share one instance (gold, potions).
  std::uint16_t max_stack = 1;       ///< Largest count of one stack (>= 1).
  friend bool operator==(const ItemType&, const ItemType&) = default;
};

/// How a creature is drawn: body, hair and what it wears. Equipment is filled in by the world.
struct Look {
  std::uint8_t body = 0;          ///< Body sprite index (NPC templates pick theirs).
  std::uint8_t hair_style = 0;    ///< 0 = bald.
  std::uint32_t hair_colour = 0;  ///< 0xRRGGBB.
  std::uint32_t helmet = 0;       ///< Item type id + 1 of the worn helmet, 0 when none.
  std::uint32_t armor = 0;        ///< Item type id + 1 of the worn armor, 0 when none.
  std::uint32_t weapon = 0;       ///< Item type id + 1 of the wielded weapon, 0 when none.
  /// The helmet hides the hair only while worn.
  [[nodiscard]] bool hair_visible() const { return helmet == 0 && hair_style != 0; }
  friend bool operator==(const Look&, const Look&) = default;
};

/// One line of a loot table: with chance_permille / 1000, drop min..max units of item_type.
struct LootEntry {
  std::uint32_t item_type = 0;        ///< Index into WorldConfig::item_types.
  std::uint32_t chance_permille = 0;  ///< 0..1000.
  std::uint16_t min_count = 1;        ///< At least 1.
  std::uint16_t max_count = 1;        ///< At least min_count.
  friend bool operator==(const LootEntry&, const LootEntry&) = default;
};

/// How an NPC behaves.
enum class Behaviour : std::uint8_t {
  Passive = 0,  ///< Wanders; fights back only when attacked.
  Aggressive,   ///< Notices players within aggro_radius, chases and attacks them.
};
[[nodiscard]] std::string_view to_string(Behaviour b);

/// Everything about one kind of NPC. Its index in WorldConfig::npc_templates is its id.
struct NpcTemplate {
  std::string key = "wanderer";   ///< Stable content name.
  std::string name = "Wanderer";  ///< Display name.
  Behaviour behaviour = Behaviour::Passive;
  std::uint16_t speed = 25;            ///< Tenths of a tile per second.
  std::int32_t wander_radius = 8;      ///< Never wanders farther than this from its home tile.
  std::uint32_t idle_percent = 50;     ///< Chance, when it may act, to stand still instead.
  std::uint32_t max_idle_ticks = 40;   ///< An idle pause lasts 1..max_idle_ticks ticks.
  std::int32_t aggro_radius = 5;       ///< Aggressive: notices players this close.
  std::int32_t leash_radius = 12;      ///< Gives up a chase this far from home.
  std::int32_t level = 1;              ///< Shown to players.
  std::int32_t max_hp = 20;            ///< Hit points.
  std::int32_t attack = 4;             ///< Melee attack.
  std::int32_t defense = 1;            ///< Melee defense.
  std::uint32_t attack_cooldown = 20;  ///< Ticks between its swings.
  std::uint32_t experience = 10;       ///< Given to its killer.
  std::uint32_t respawn_ticks = 600;   ///< Delay before its spawn area replaces it.
  Look look{};                         ///< Body and hair (equipment fields unused).
  std::vector<LootEntry> loot;         ///< Rolled on death, dropped on its tile.
  friend bool operator==(const NpcTemplate&, const NpcTemplate&) = default;
};

}  // namespace world
