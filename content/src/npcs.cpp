#include "content/npcs.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string>

#include "json_reader.hpp"
#include "jsonkit/colour.hpp"

namespace content {
namespace {

using detail::Json;
using world::Behaviour;

constexpr std::array kBehaviours{Behaviour::Passive, Behaviour::Aggressive};

constexpr std::int64_t kMaxSpeed = 1000;       // tenths of a tile per second
constexpr std::int64_t kMaxRadius = 1000;      // tiles
constexpr std::int64_t kMaxStat = 1000000;     // hit points, attack, defense
constexpr std::int64_t kMaxTicks = 100000000;  // durations (about two months at 20 Hz)
constexpr std::int64_t kMaxLevel = 1000;
constexpr std::int64_t kMaxExperience = 1000000000;
constexpr std::int64_t kPermille = 1000;
constexpr std::int64_t kMaxAttackRange = 10;  // tiles

void read_look(detail::ObjectReader& npc, world::Look& look) {
  const Json* object = npc.object("look", false);
  if (object == nullptr) return;
  const detail::Path at(npc.path(), "look");
  detail::ObjectReader r{npc.diagnostics(), *object, at};
  look.body = static_cast<std::uint8_t>(r.integer("body", look.body, 0, 255));
  look.hair_style = static_cast<std::uint8_t>(r.integer("hair_style", look.hair_style, 0, 255));
  if (const std::optional<std::string> colour = r.string("hair_colour", false)) {
    if (const std::optional<std::uint32_t> rgb = jsonkit::parse_colour(*colour)) {
      look.hair_colour = *rgb;
    } else {
      r.fail("hair_colour", jsonkit::colour_problem(detail::quote(*colour)));
    }
  }
}

struct ItemIndex {
  const std::vector<world::ItemType>& items;
  std::map<std::string, std::uint32_t, std::less<>> by_key;
};

// 1 <= min <= max <= the item's max_stack (1 for an item that does not stack).
void check_counts(detail::ObjectReader& r, const world::ItemType& item, std::int64_t min,
                  std::int64_t max) {
  const auto too_many = [&](std::string_view field, std::int64_t count) {
    if (count <= item.max_stack) return false;
    if (!item.stackable) {
      r.fail(field, "item " + detail::quote(item.key) +
                        " is not stackable, so at most 1 drops, got " + std::to_string(count));
    } else {
      r.fail(field, std::to_string(count) + " exceeds the max_stack of item " +
                        detail::quote(item.key) + " (" + std::to_string(item.max_stack) + ")");
    }
    return true;
  };
  if (too_many("min", min) || too_many("max", max)) return;
  if (max < min) {
    r.fail("max", "must be at least min (" + std::to_string(min) + "), got " + std::to_string(max));
  }
}

void read_loot(detail::ObjectReader& npc, const ItemIndex& index, world::NpcTemplate& t) {
  const Json* list = npc.array("loot", false);
  if (list == nullptr) return;
  detail::Diagnostics& diag = npc.diagnostics();
  const detail::Path loot_at(npc.path(), "loot");
  for (std::size_t i = 0; i < list->size() && !diag.failed(); ++i) {
    const detail::Path path(loot_at, i);
    const Json& entry = (*list)[i];
    if (!entry.is_object()) {
      diag.fail(path, "expected an object, got " + detail::describe(entry));
      return;
    }
    detail::ObjectReader r{diag, entry, path};
    const std::optional<std::string> key = r.string("item", true);
    if (!key) return;
    const auto found = index.by_key.find(*key);
    if (found == index.by_key.end()) {
      r.fail("item", "unknown item " + detail::quote(*key));
      return;
    }
    const world::ItemType& item = index.items[found->second];
    world::LootEntry loot;
    loot.item_type = found->second;
    loot.chance_permille =
        static_cast<std::uint32_t>(r.required_integer("chance_permille", 0, kPermille).value_or(0));
    const std::int64_t min = r.integer("min", 1, 1, kMaxStat);
    const std::int64_t max = r.integer("max", min, 1, kMaxStat);
    if (!diag.failed()) check_counts(r, item, min, max);
    loot.min_count = static_cast<std::uint16_t>(min);
    loot.max_count = static_cast<std::uint16_t>(max);
    t.loot.push_back(loot);
  }
}

// The heal it casts on wounded allies: a spell key whose effect is heal, stored as id + 1; the
// NPC's mana must pay for it at least once.
void read_heal_spell(detail::ObjectReader& r, const std::vector<world::SpellType>& spells,
                     world::NpcTemplate& t) {
  const std::optional<std::string> key = r.string("heal_spell", false);
  if (!key) return;
  const auto found = std::find_if(spells.begin(), spells.end(),
                                  [&](const world::SpellType& s) { return s.key == *key; });
  if (found == spells.end()) {
    r.fail("heal_spell", "unknown spell " + detail::quote(*key));
    return;
  }
  if (found->effect != world::SpellEffect::Heal) {
    r.fail("heal_spell", "spell " + detail::quote(*key) + " does not heal (effect " +
                             detail::quote(std::string(world::to_string(found->effect))) + ")");
    return;
  }
  if (t.max_mp < found->mana) {
    r.fail("max_mp", "must pay for heal_spell " + detail::quote(*key) + " (mana " +
                         std::to_string(found->mana) + "), got " + std::to_string(t.max_mp));
    return;
  }
  t.heal_spell = static_cast<std::uint32_t>(found - spells.begin()) + 1;
}

void read_template(detail::ObjectReader& r, const ItemIndex& items,
                   const std::vector<world::SpellType>& spells, world::NpcTemplate& t) {
  t.name = r.nonempty_string("name");
  t.behaviour = r.enumeration<Behaviour>("behaviour", t.behaviour, false, kBehaviours, "behaviour");
  t.speed = static_cast<std::uint16_t>(r.integer("speed", t.speed, 1, kMaxSpeed));
  t.wander_radius =
      static_cast<std::int32_t>(r.integer("wander_radius", t.wander_radius, 0, kMaxRadius));
  t.idle_percent = static_cast<std::uint32_t>(r.integer("idle_percent", t.idle_percent, 0, 100));
  t.max_idle_ticks =
      static_cast<std::uint32_t>(r.integer("max_idle_ticks", t.max_idle_ticks, 1, kMaxTicks));
  t.aggro_radius =
      static_cast<std::int32_t>(r.integer("aggro_radius", t.aggro_radius, 0, kMaxRadius));
  t.leash_radius =
      static_cast<std::int32_t>(r.integer("leash_radius", t.leash_radius, 0, kMaxRadius));
  t.level = static_cast<std::int32_t>(r.integer("level", t.level, 1, kMaxLevel));
  t.max_hp = static_cast<std::int32_t>(r.integer("max_hp", t.max_hp, 1, kMaxStat));
  t.attack = static_cast<std::int32_t>(r.integer("attack", t.attack, 0, kMaxStat));
  t.defense = static_cast<std::int32_t>(r.integer("defense", t.defense, 0, kMaxStat));
  t.attack_cooldown =
      static_cast<std::uint32_t>(r.integer("attack_cooldown", t.attack_cooldown, 1, kMaxTicks));
  t.experience =
      static_cast<std::uint32_t>(r.integer("experience", t.experience, 0, kMaxExperience));
  t.respawn_ticks =
      static_cast<std::uint32_t>(r.integer("respawn_ticks", t.respawn_ticks, 0, kMaxTicks));
  t.attack_range =
      static_cast<std::int32_t>(r.integer("attack_range", t.attack_range, 1, kMaxAttackRange));
  if (r.diagnostics().failed()) return;
  t.keep_distance =
      static_cast<std::int32_t>(r.integer("keep_distance", t.keep_distance, 0, t.attack_range));
  t.max_mp = static_cast<std::int32_t>(r.integer("max_mp", t.max_mp, 0, kMaxStat));
  if (r.diagnostics().failed()) return;
  read_heal_spell(r, spells, t);
  read_look(r, t.look);
  read_loot(r, items, t);
}

}  // namespace

world::Result<std::vector<world::NpcTemplate>> parse_npc_templates(
    std::string_view json, std::string_view file_name, const std::vector<world::ItemType>& items,
    const std::vector<world::SpellType>& spells) {
  ItemIndex index{items, {}};
  for (std::size_t i = 0; i < items.size(); ++i)
    index.by_key.emplace(items[i].key, static_cast<std::uint32_t>(i));
  return detail::parse_keyed_list<world::NpcTemplate>(
      json, file_name, "npcs", [&index, &spells](detail::ObjectReader& r, world::NpcTemplate& t) {
        read_template(r, index, spells, t);
      });
}

}  // namespace content
