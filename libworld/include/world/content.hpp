#pragma once
/// \file Game content the rules read: item types, NPC templates, looks. Plain data with defaults;
/// the content/ library fills them from JSON and Tiled maps, tests and tools build them in code.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace world {

/// What an item is for.
enum class ItemKind : std::uint8_t { Misc = 0, Weapon, Helmet, Armor, Potion, Gold, Ammo };
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
  /// Weapons: how far the wielder reaches, in Chebyshev tiles. 1 is melee (neighbouring tiles);
  /// more is a ranged weapon, whose shots also need a line of sight (world/sight.hpp).
  std::int32_t range = 1;
  /// Ranged weapons: item type id + 1 of the ammunition each shot uses up (one unit from the
  /// wielder's backpack); 0 when the weapon needs none.
  std::uint32_t ammo = 0;
  friend bool operator==(const ItemType&, const ItemType&) = default;
};

/// Whom a spell is aimed at.
enum class SpellTarget : std::uint8_t {
  Self = 0,  ///< The caster.
  Creature,  ///< One creature within range and sight.
  Tile,      ///< Every creature within `radius` of a tile within range and sight.
  Area,      ///< Every creature within `radius` of the caster.
};
/// What a spell does to the creatures it reaches.
enum class SpellEffect : std::uint8_t {
  Damage = 0,  ///< Takes HP from enemies (armor does not help).
  Heal,        ///< Gives HP back to allies (never above their maximum).
};
[[nodiscard]] std::string_view to_string(SpellTarget t);
[[nodiscard]] std::string_view to_string(SpellEffect e);

/// One spell. Its index in WorldConfig::spells is its spell id.
struct SpellType {
  std::string key = "spell";   ///< Stable content name, e.g. "fire_bolt".
  std::string name = "Spell";  ///< Display name.
  SpellTarget target = SpellTarget::Creature;
  SpellEffect effect = SpellEffect::Damage;
  std::int32_t mana = 10;            ///< MP it costs (>= 0).
  std::uint32_t cooldown = 20;       ///< Ticks before the caster may cast any spell again.
  std::int32_t range = 5;            ///< Creature and Tile: farthest target (Chebyshev).
  std::int32_t radius = 0;           ///< Tile and Area: reach around the centre (Chebyshev).
  std::int32_t min_power = 5;        ///< Smallest rolled damage or healing (>= 0).
  std::int32_t max_power = 10;       ///< Largest rolled amount (>= min_power).
  std::int32_t power_per_level = 1;  ///< Added per caster level above 1.
  friend bool operator==(const SpellType&, const SpellType&) = default;
};

/// Units of one item type (a starting kit line).
struct ItemStack {
  std::uint32_t type = 0;   ///< Index into WorldConfig::item_types.
  std::uint16_t count = 1;  ///< Units (>= 1).
  friend bool operator==(const ItemStack&, const ItemStack&) = default;
};

/// A player's calling: its attributes at level 1, what each level adds, which weapons it may
/// wield and which spells it may cast. Its index in WorldConfig::vocations is its id; id 0 is
/// what characters made before vocations existed get.
struct Vocation {
  std::string key = "adventurer";   ///< Stable content name, e.g. "knight".
  std::string name = "Adventurer";  ///< Display name.
  std::int32_t max_hp = 50;         ///< At level 1.
  std::int32_t max_mp = 20;         ///< At level 1.
  std::int32_t attack = 5;          ///< Base attack at level 1.
  std::int32_t defense = 2;         ///< Base defense at level 1.
  std::int32_t hp_per_level = 10;   ///< Added to max HP per level gained.
  std::int32_t mp_per_level = 5;    ///< Added to max MP per level gained.
  std::int32_t attack_per_level = 1;
  std::int32_t defense_per_level = 1;
  std::vector<std::uint32_t> weapons;  ///< Item types it may wield; empty: every weapon.
  std::vector<std::uint32_t> spells;   ///< Spell ids it may cast, ascending.
  std::vector<ItemStack> start_items;  ///< What a new character of it carries (servers use it).
  friend bool operator==(const Vocation&, const Vocation&) = default;
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
  /// Farthest target it hits (Chebyshev); above 1 it shoots, and then needs a line of sight.
  std::int32_t attack_range = 1;
  /// Ranged NPCs step back while their target is closer than this (0: never).
  std::int32_t keep_distance = 0;
  std::int32_t max_mp = 0;  ///< Mana (casters).
  /// Spell id + 1 of the heal it casts on a wounded ally (itself included) in sight; 0: none.
  std::uint32_t heal_spell = 0;
  Look look{};                  ///< Body and hair (equipment fields unused).
  std::vector<LootEntry> loot;  ///< Rolled on death, dropped on its tile.
  friend bool operator==(const NpcTemplate&, const NpcTemplate&) = default;
};

}  // namespace world
