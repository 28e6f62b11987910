#include "world/config.hpp"

#include "world/hash.hpp"

namespace world {

std::uint64_t config_hash(const WorldConfig& config) {
  Hasher h;
  h.add(config.seed).add(config.tick_rate_hz);
  h.add(config.npc_templates.size());
  for (const NpcTemplate& t : config.npc_templates) {
    h.add_string(t.key).add_string(t.name);
    h.add(static_cast<std::uint64_t>(t.behaviour)).add(t.speed);
    h.add(static_cast<std::uint32_t>(t.wander_radius)).add(t.idle_percent).add(t.max_idle_ticks);
    h.add(static_cast<std::uint32_t>(t.aggro_radius))
        .add(static_cast<std::uint32_t>(t.leash_radius));
    h.add(static_cast<std::uint32_t>(t.level)).add(static_cast<std::uint32_t>(t.max_hp));
    h.add(static_cast<std::uint32_t>(t.attack)).add(static_cast<std::uint32_t>(t.defense));
    h.add(t.attack_cooldown).add(t.experience).add(t.respawn_ticks);
    h.add(t.look.body).add(t.look.hair_style).add(t.look.hair_colour);
    h.add(static_cast<std::uint32_t>(t.attack_range))
        .add(static_cast<std::uint32_t>(t.keep_distance))
        .add(static_cast<std::uint32_t>(t.max_mp))
        .add(t.heal_spell);
    h.add(t.loot.size());
    for (const LootEntry& l : t.loot) {
      h.add(l.item_type).add(l.chance_permille).add(l.min_count).add(l.max_count);
    }
  }
  h.add(config.item_types.size());
  for (const ItemType& i : config.item_types) {
    h.add_string(i.key).add_string(i.name);
    h.add(static_cast<std::uint64_t>(i.kind) | static_cast<std::uint64_t>(i.slot) << 8 |
          static_cast<std::uint64_t>(i.stackable) << 16 |
          static_cast<std::uint64_t>(i.max_stack) << 24);
    h.add(static_cast<std::uint32_t>(i.attack)).add(static_cast<std::uint32_t>(i.defense));
    h.add(static_cast<std::uint32_t>(i.heal_hp)).add(static_cast<std::uint32_t>(i.heal_mp));
    h.add(static_cast<std::uint32_t>(i.range)).add(i.ammo);
  }
  h.add(config.vocations.size());
  for (const Vocation& v : config.vocations) {
    h.add_string(v.key).add_string(v.name);
    for (const std::int32_t x : {v.max_hp, v.max_mp, v.attack, v.defense, v.hp_per_level,
                                 v.mp_per_level, v.attack_per_level, v.defense_per_level}) {
      h.add(static_cast<std::uint32_t>(x));
    }
    h.add(v.weapons.size());
    for (const std::uint32_t w : v.weapons)
      h.add(w);
    h.add(v.spells.size());
    for (const std::uint32_t sp : v.spells)
      h.add(sp);
    h.add(v.start_items.size());
    for (const ItemStack& st : v.start_items)
      h.add(st.type).add(st.count);
  }
  h.add(config.spells.size());
  for (const SpellType& sp : config.spells) {
    h.add_string(sp.key).add_string(sp.name);
    h.add(static_cast<std::uint32_t>(sp.target) | static_cast<std::uint32_t>(sp.effect) << 8);
    for (const std::int32_t x :
         {sp.mana, sp.range, sp.radius, sp.min_power, sp.max_power, sp.power_per_level}) {
      h.add(static_cast<std::uint32_t>(x));
    }
    h.add(sp.cooldown);
  }
  h.add(config.pvp).add(static_cast<std::uint32_t>(config.chat_radius)).add(config.regen_interval);
  h.add(config.item_decay_ticks).add(config.backpack_capacity).add(config.path_node_budget);
  h.add(config.death_penalty_percent).add(config.player_attack_cooldown);
  return h.value();
}

}  // namespace world
